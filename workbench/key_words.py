"""The 256 words a key's fingerprint is read out in, over the phone (issue 16).

A commune official reads eight of them to the province ("con trâu, quả cam, …"); the province
official checks them against the words its screen shows for the first package from that commune.
Each word is a common two-syllable noun a child knows. No two are confusable when heard: a test
(tests/test_weekly_package.py) folds away tones and the sounds regional accents merge (tr/ch, s/x,
gi/d/r/v, l/n, final ng/n and c/t, y/i) and finds every word still distinct. Byte n of the
fingerprint is WORDS[n]: never reorder or change a word, or every fingerprint changes.
"""

WORDS = (
    "mặt trời", "mặt trăng", "ngôi sao", "đám mây", "cơn mưa", "cầu vồng", "dòng sông", "ngọn núi",
    "bãi biển", "hòn đảo", "thác nước", "cánh đồng", "khu rừng", "đồi chè", "sương mai", "bình minh",
    "hoàng hôn", "mùa xuân", "mùa hạ", "mùa thu", "mùa đông", "con trâu", "con bò", "con gà",
    "con vịt", "con ngỗng", "con lợn", "con dê", "con ngựa", "con chó", "con mèo", "con thỏ",
    "con cá", "con tôm", "con cua", "con ốc", "con ong", "con bướm", "con voi", "con hổ",
    "con gấu", "con khỉ", "con rùa", "con sóc", "con cò", "con chim", "con nai", "con ếch",
    "con hươu", "con công", "con vẹt", "quả cam", "quả chuối", "quả dừa", "quả xoài", "quả mít",
    "quả na", "quả ổi", "quả bưởi", "quả táo", "quả lê", "quả nho", "quả mận", "quả vải",
    "quả nhãn", "quả bơ", "quả chanh", "quả bí", "quả gấc", "cây chè", "bụi tre", "cây ngô",
    "cây thông", "cây đa", "cây lúa", "cây mía", "hoa sen", "hoa hồng", "hoa mai", "hoa đào",
    "hoa cúc", "hoa lan", "hoa huệ", "hoa ban", "cái bàn", "cái ghế", "cái giường", "cái tủ",
    "cái quạt", "cái đèn", "cái nón", "cái ô", "cái túi", "cái gối", "cái chăn", "cái kéo",
    "cái thước", "cái bút", "cái cốc", "cái bát", "cái đĩa", "cái nồi", "cái chổi", "cái xô",
    "cái cuốc", "cái liềm", "cái gùi", "cái cày", "cái võng", "cái chuông", "cái loa", "ngôi nhà",
    "mái nhà", "sân vườn", "cây cầu", "bến đò", "chợ quê", "trường học", "trạm xá", "đình làng",
    "ngõ nhỏ", "bản làng", "nương rẫy", "ngôi chùa", "bến xe", "bánh chưng", "bánh mì", "xôi gấc",
    "cơm nắm", "phở bò", "bún chả", "canh chua", "rau muống", "đậu phụ", "trứng gà", "nước mắm",
    "mật ong", "bánh đa", "chè đỗ", "xe đạp", "xe máy", "ô tô", "tàu hỏa", "máy bay",
    "thuyền buồm", "xe buýt", "xe bò", "đàn bầu", "đàn tranh", "cồng chiêng", "sáo trúc", "trống đồng",
    "màu đỏ", "màu xanh", "màu vàng", "màu tím", "màu trắng", "màu đen", "màu nâu", "màu hồng",
    "quyển sách", "quyển vở", "bảng đen", "phấn trắng", "cặp sách", "buổi sáng", "buổi trưa", "buổi chiều",
    "buổi tối", "nông dân", "thợ mộc", "thợ may", "bác sĩ", "cô giáo", "thầy giáo", "bộ đội",
    "bóng đá", "bóng chuyền", "cầu lông", "đá cầu", "kéo co", "nhảy dây", "thả diều", "cờ tướng",
    "bơi lội", "chạy bộ", "ngọn lửa", "giọt nước", "hạt gạo", "hạt thóc", "hạt đậu", "lá cờ",
    "chiếc lá", "cánh hoa", "viên gạch", "áo dài", "áo len", "khăn quàng", "đôi dép", "đôi giày",
    "mũ len", "đồng hồ", "điện thoại", "máy tính", "ti vi", "bếp lửa", "cái ấm", "cái khay",
    "cái thớt", "con dao", "bàn tay", "bàn chân", "đôi mắt", "mái tóc", "nụ cười", "trái tim",
    "giọng hát", "bài hát", "câu chuyện", "trang sách", "con đường", "ngã tư", "cột điện", "hàng rào",
    "cổng làng", "sân đình", "lũy tre", "giếng làng", "ao cá", "vườn rau", "con thuyền", "mái chèo",
    "lưới cá", "cần câu", "cái nơm", "cái mẹt", "cái nia", "cái rổ", "cái sàng", "đèn lồng",
    "pháo hoa", "múa lân", "ngày Tết", "bánh tét", "mứt gừng", "cây nêu", "câu đối", "phong bao",
    "áo mới", "hạt mưa", "tia nắng", "làn gió", "cơn bão", "tuyết trắng", "sấm chớp", "mặt hồ",
)
