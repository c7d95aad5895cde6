"""The sandbox portal: fake personas practise what citizens do for real (VNeID, the national
portal, dossiers, paying by QR) and officials practise the one-stop desk. Fake data only, in
the disposable ``sandbox.db``."""
