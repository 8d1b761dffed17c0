"""Pillow work on photos: check, clean, orient, shrink, thumbnail, stamp.

No model and no request here: plain bytes in, plain bytes out, so every rule can be tested on
an image made in memory. Views and services call these; messages are the user's.
"""

import datetime
import io
from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, ImageDraw, ImageFont, ImageOps, UnidentifiedImageError

# What a phone or the browser's canvas hands us. MPO is the JPEG some cameras write.
ACCEPTED_FORMATS = {"JPEG", "MPO", "PNG", "WEBP"}
EXIF_IFD = 0x8769
DATETIME_ORIGINAL = 36867
OFFSET_TIME_ORIGINAL = 36881
DATETIME = 306
JPEG_QUALITY = 85


@dataclass(frozen=True)
class CleanPhoto:
    image: bytes  # JPEG, no EXIF, upright, longer side at most PHOTOS_MAX_SIDE
    thumbnail: bytes  # JPEG, longer side at most PHOTOS_THUMB_SIDE
    width: int
    height: int
    taken_at: datetime.datetime | None  # from EXIF, read before EXIF is dropped


def _read_limited(upload, max_bytes):
    if getattr(upload, "size", None) is not None and upload.size > max_bytes:
        return None
    data = upload.read(max_bytes + 1)
    return None if len(data) > max_bytes else data


def taken_at_from_exif(exif):
    """The moment the photo was taken, from EXIF DateTimeOriginal (or DateTime), aware.

    Phones write local time, often without an offset: then it is read in the site's zone.
    """
    raw = exif.get_ifd(EXIF_IFD).get(DATETIME_ORIGINAL) or exif.get(DATETIME)
    if not raw:
        return None
    try:
        moment = datetime.datetime.strptime(str(raw).strip("\x00 "), "%Y:%m:%d %H:%M:%S")
    except ValueError:
        return None
    offset = exif.get_ifd(EXIF_IFD).get(OFFSET_TIME_ORIGINAL)
    if offset:
        try:
            parsed = datetime.datetime.strptime(str(offset).strip("\x00 "), "%z")
            return moment.replace(tzinfo=parsed.tzinfo)
        except ValueError:
            pass
    return timezone.make_aware(moment)


def _as_jpeg(image, quality, *, optimize=True):
    buffer = io.BytesIO()
    # No exif= argument and a fresh info dict: nothing of the camera's metadata is written.
    image.info = {}
    image.save(buffer, format="JPEG", quality=quality, optimize=optimize)
    return buffer.getvalue()


def clean_upload(upload, *, name=""):
    """Check one uploaded file and return its clean copies, or raise ValidationError.

    Rules: at most PHOTOS_MAX_BYTES; a JPEG, PNG or WebP by its content (the file name and the
    browser's content type are not trusted); at most PHOTOS_MAX_PIXELS, checked from the header
    before the pixels are decoded (decompression bombs); fully decodable. The copy kept is
    turned upright (EXIF orientation), shrunk to PHOTOS_MAX_SIDE and re-encoded as JPEG without
    any EXIF (GPS position, phone model); the taken-at time is read first.
    """
    name = name or getattr(upload, "name", "") or _("photo")
    max_bytes = settings.PHOTOS_MAX_BYTES
    data = _read_limited(upload, max_bytes)
    if data is None:
        raise ValidationError(
            _("%(name)s is larger than %(limit)s MB.")
            % {"name": name, "limit": max_bytes // (1024 * 1024)},
            code="too_large",
        )
    not_a_photo = ValidationError(
        _("%(name)s is not a photo: choose a JPEG, PNG or WebP image.") % {"name": name},
        code="not_image",
    )
    try:
        image = Image.open(io.BytesIO(data))
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        raise not_a_photo from None
    if image.format not in ACCEPTED_FORMATS:
        raise not_a_photo
    if image.width * image.height > settings.PHOTOS_MAX_PIXELS:
        raise ValidationError(
            _("%(name)s has too many pixels (%(width)s×%(height)s).")
            % {"name": name, "width": image.width, "height": image.height},
            code="too_many_pixels",
        )
    try:
        taken_at = taken_at_from_exif(image.getexif())
    except Exception:  # a broken EXIF block is no reason to refuse the photo itself
        taken_at = None
    try:
        image.load()
        upright = ImageOps.exif_transpose(image)
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        raise not_a_photo from None
    if upright.mode in ("RGBA", "LA", "P"):
        rgba = upright.convert("RGBA")
        upright = Image.new("RGB", rgba.size, (255, 255, 255))
        upright.paste(rgba, mask=rgba.getchannel("A"))
    elif upright.mode != "RGB":
        upright = upright.convert("RGB")
    side = settings.PHOTOS_MAX_SIDE
    if max(upright.size) > side:
        upright.thumbnail((side, side), Image.Resampling.LANCZOS)
    thumb = upright.copy()
    thumb_side = settings.PHOTOS_THUMB_SIDE
    thumb.thumbnail((thumb_side, thumb_side), Image.Resampling.LANCZOS)
    return CleanPhoto(
        image=_as_jpeg(upright, JPEG_QUALITY),
        thumbnail=_as_jpeg(thumb, 80),
        width=upright.width,
        height=upright.height,
        taken_at=taken_at,
    )


@lru_cache(maxsize=8)
def _font(size):
    for path in settings.PHOTOS_STAMP_FONTS:
        try:
            return ImageFont.truetype(path, size)
        except OSError:
            continue
    # No CJK font on this machine: Pillow's own (Latin only; Chinese shows as boxes).
    return ImageFont.load_default(size)


def stamp(image_bytes, lines):
    """The photo with ``lines`` drawn on a dark band along its bottom edge (拍照水印), as JPEG.

    Same size as the stored photo; the stored photo itself is never changed.
    """
    image = Image.open(io.BytesIO(image_bytes))
    if image.mode != "RGB":
        image = image.convert("RGB")
    size = max(14, image.width // 36)
    font = _font(size)
    padding = size // 2
    line_height = int(size * 1.35)
    band = min(image.height, padding * 2 + line_height * len(lines))
    # Only the band is composited and drawn on: the rest of the photo is left as decoded.
    box = (0, image.height - band, image.width, image.height)
    region = Image.alpha_composite(
        image.crop(box).convert("RGBA"), Image.new("RGBA", (image.width, band), (0, 0, 0, 140))
    )
    draw = ImageDraw.Draw(region)
    y = padding
    for line in lines:
        draw.text((padding, y), line, font=font, fill=(255, 255, 255, 255))
        y += line_height
    image.paste(region.convert("RGB"), box[:2])
    return _as_jpeg(image, JPEG_QUALITY, optimize=False)
