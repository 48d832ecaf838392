package dev.parley.server.attachment;

import dev.parley.server.common.ErrorKind;
import dev.parley.server.common.ParleyException;
import dev.parley.server.common.Text;
import dev.parley.server.common.Violations;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** What a declared upload must be (AttachmentService.CreateUpload in the proto). */
final class UploadRules {

    static final int MAX_NAME_LENGTH = 255;
    static final int MAX_TYPE_LENGTH = 127;
    /** The most bytes one UploadChunk carries. */
    static final int MAX_CHUNK_BYTES = 1 << 20;
    /** type/subtype, as RFC 6838 spells names (parameters such as charset are not taken). */
    private static final Pattern MEDIA_TYPE = Pattern.compile(
            "[a-z0-9][a-z0-9!#$&^_.+-]{0,62}/[a-z0-9][a-z0-9!#$&^_.+-]{0,62}");

    private UploadRules() {
    }

    /** The declared upload, checked: every bad field named at once; a size over the limit alone answered apart. */
    static void check(String name, long size, String mediaType, String sha256, long maxBytes) {
        Violations violations = new Violations();
        violations.check(!name.isEmpty(), "name", "must not be empty");
        violations.check(Text.length(name) <= MAX_NAME_LENGTH, "name",
                "must be at most " + MAX_NAME_LENGTH + " characters");
        violations.check(!Text.hasControlCharacters(name) && !Text.hasLoneSurrogates(name)
                && name.indexOf('/') < 0 && name.indexOf('\\') < 0 && !name.isBlank()
                && !name.equals(".") && !name.equals(".."), "name",
                "must be a file name: no '/', '\\' or control characters, not only spaces or dots");
        violations.check(size > 0, "size_bytes", "must be at least 1");
        violations.check(mediaType.isEmpty() || mediaType.length() <= MAX_TYPE_LENGTH
                && MEDIA_TYPE.matcher(mediaType).matches(), "media_type",
                "must be empty or a media type such as application/pdf, in lower case, without parameters");
        violations.check(sha256.length() == 64
                && sha256.chars().allMatch(HexFormat::isHexDigit), "sha256", "must be 64 hex digits");
        violations.throwIfAny();
        if (size > maxBytes) {
            throw ParleyException.invalid("FILE_TOO_LARGE", "size_bytes", "is larger than the limit of " + maxBytes
                    + " bytes").with("limit_bytes", Long.toString(maxBytes));
        }
    }

    /** A chunk's data: present, not too large, and not past the declared size. */
    static void checkChunk(long offset, int length, long declaredSize) {
        if (offset < 0) {
            throw ParleyException.invalid("INVALID_FIELDS", "offset", "must not be negative");
        }
        if (length == 0 || length > MAX_CHUNK_BYTES) {
            throw ParleyException.invalid("INVALID_FIELDS", "data", "must be 1 to " + MAX_CHUNK_BYTES + " bytes");
        }
        if (offset + length > declaredSize) {
            throw ParleyException.invalid("INVALID_FIELDS", "data", "goes past the declared size of " + declaredSize
                    + " bytes");
        }
    }

    static ParleyException refused(String reason, String message) {
        return ParleyException.of(ErrorKind.FAILED_PRECONDITION, reason, message);
    }
}
