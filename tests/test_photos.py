"""An uploaded photo of a paper is refused, saying what to do, when it cannot be read: blurred,
too dark, too small, too many pixels (issue 14: a blurred ID photo was accepted without comment)."""

import io

import pytest
from PIL import Image, ImageDraw, ImageFilter

from workbench import i18n
from workbench.sandbox import personas, photos
from workbench.sandbox.dossiers import citizen, records
from workbench.sandbox.dossiers import schema as dossier_schema


@pytest.fixture
def persona(sandbox_db):
    return personas.create(sandbox_db, seed=11)


def paper(size=(1600, 1000), blur: float = 0, light: int = 245, fmt: str = "JPEG") -> bytes:
    """A generated phone photo of an ID paper: lines of text-like strokes on a light card."""
    image = Image.new("RGB", size, (light, light - 5, light - 15))
    draw = ImageDraw.Draw(image)
    width, height = size
    draw.rectangle([width // 20, height // 20, width - width // 20, height - height // 20], outline=(90, 60, 30),
                   width=max(2, width // 300))
    for row in range(8):
        y = height // 6 + row * height // 11
        for column in range(30):
            x = width // 10 + column * width // 38
            draw.text((x, y), "0123456789ABCDĐ"[(row + column) % 15], fill=(20, 20, 20), font_size=max(12, height // 22))
    if blur:
        image = image.filter(ImageFilter.GaussianBlur(blur))
    buffer = io.BytesIO()
    image.save(buffer, format=fmt, **({"quality": 88} if fmt == "JPEG" else {}))
    return buffer.getvalue()


def test_a_sharp_photo_passes_in_jpeg_and_png():
    assert photos.problem(paper()) is None
    assert photos.problem(paper(fmt="PNG")) is None
    assert photos.problem(paper(size=(4000, 3000))) is None  # a 12-megapixel phone photo


@pytest.mark.parametrize("blur", [6, 10])
def test_a_blurred_photo_is_refused(blur):
    assert photos.measured(paper(blur=blur))["sharpness"] < photos.MIN_SHARPNESS
    assert photos.problem(paper(blur=blur)) == "image_blurred"
    assert photos.problem(paper(size=(4000, 3000), blur=blur * 3)) == "image_blurred"


def test_a_dark_photo_and_a_tiny_one_are_refused():
    assert photos.problem(paper(light=30)) == "image_too_dark"
    assert photos.problem(paper(size=(260, 180))) == "image_too_small"


def test_a_picture_claiming_too_many_pixels_is_refused_before_it_is_decoded():
    buffer = io.BytesIO()
    Image.new("1", (9000, 9000)).save(buffer, format="PNG")  # 81 megapixels in a few kilobytes
    assert len(buffer.getvalue()) < photos.MAX_BYTES
    assert photos.problem(buffer.getvalue()) == "image_too_many_pixels"
    assert photos.problem(b"x" * (photos.MAX_BYTES + 1)) == "image_too_large"
    assert photos.problem(b"%PDF-1.4") == "not_an_image"


def test_every_reason_says_what_to_do_in_both_languages():
    for reason in photos.REASONS:
        for lang in ("vi", "en"):
            assert i18n.has(f"dossiers.error.{reason}", lang)
    assert i18n.t("dossiers.error.image_blurred", "vi").startswith("Ảnh bị mờ")
    assert "chụp lại" in i18n.t("dossiers.error.image_blurred", "vi")


def test_a_blurred_upload_is_not_attached_and_a_sharp_one_is(sandbox_db, persona):
    code = citizen.start(sandbox_db, persona["id"], "khai_sinh")
    with pytest.raises(dossier_schema.DossierError) as refused:
        citizen.attach(sandbox_db, persona["id"], code, "giay_chung_sinh", upload=paper(blur=6), filename="mo.jpg")
    assert refused.value.key == "dossiers.error.image_blurred"
    assert records.documents_of(sandbox_db, code) == []
    citizen.attach(sandbox_db, persona["id"], code, "giay_chung_sinh", upload=paper(), filename="ro.jpg")
    assert records.documents_of(sandbox_db, code)[0]["source"] == "upload"
