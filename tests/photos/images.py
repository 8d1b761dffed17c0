"""Photos made in memory for the tests: JPEGs with EXIF (time, GPS, phone model)."""

import io

from PIL import Image

GPS_IFD = 0x8825
EXIF_IFD = 0x8769


def jpeg_with_exif(
    *, size=(800, 600), taken="2026:12:01 10:15:00", orientation=1, color=(30, 120, 200)
):
    image = Image.new("RGB", size, color)
    exif = Image.Exif()
    exif[0x010F] = "Huawei"  # Make
    exif[0x0110] = "Mate 60 Pro"  # Model
    exif[0x0112] = orientation
    exif[0x0132] = taken
    exif.get_ifd(EXIF_IFD)[36867] = taken  # DateTimeOriginal
    gps = exif.get_ifd(GPS_IFD)
    gps[1] = "N"
    gps[2] = (31.0, 14.0, 10.0)
    gps[3] = "E"
    gps[4] = (121.0, 28.0, 30.0)
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif, quality=90)
    return buffer.getvalue()


def png(size=(50, 40)):
    buffer = io.BytesIO()
    Image.new("RGBA", size, (200, 10, 10, 128)).save(buffer, format="PNG")
    return buffer.getvalue()
