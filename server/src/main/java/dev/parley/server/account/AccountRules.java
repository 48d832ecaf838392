package dev.parley.server.account;

import dev.parley.server.common.Text;
import dev.parley.server.common.Violations;
import java.util.regex.Pattern;

/** What a valid username, e-mail address, display name and password look like; one place for every RPC. */
public final class AccountRules {

    public static final int MAX_DISPLAY_NAME = 64;
    public static final int MIN_PASSWORD = 10;
    public static final int MAX_PASSWORD = 1024;
    private static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9_.-]{3,32}");
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s.]+(\\.[^@\\s.]+)+");
    private static final int MAX_EMAIL = 254;
    private static final int MAX_DEVICE_NAME = 100;

    private AccountRules() {
    }

    public static void username(Violations violations, String username) {
        if (username.isEmpty()) {
            violations.add("username", "is required");
        } else if (!USERNAME.matcher(username).matches()) {
            violations.add("username", "must be 3 to 32 characters of a-z, 0-9, '_', '.' and '-'");
        }
    }

    public static void email(Violations violations, String field, String email) {
        if (email.isEmpty()) {
            violations.add(field, "is required");
        } else if (email.length() > MAX_EMAIL || !EMAIL.matcher(email).matches()) {
            violations.add(field, "must be an e-mail address such as name@example.com");
        }
    }

    public static void password(Violations violations, String field, String password) {
        int length = Text.length(password);
        if (length < MIN_PASSWORD) {
            violations.add(field, "must be at least " + MIN_PASSWORD + " characters");
        } else if (length > MAX_PASSWORD) {
            violations.add(field, "must be at most " + MAX_PASSWORD + " characters");
        }
    }

    /** Display names are optional at sign-up (the username stands in) but never blank once set. */
    public static void displayName(Violations violations, String displayName, boolean required) {
        if (displayName.isBlank()) {
            violations.check(!required, "display_name", "must not be blank");
        } else if (Text.isInvisible(displayName)) {
            violations.add("display_name", "must not be only spaces or invisible characters");
        } else if (Text.length(displayName) > MAX_DISPLAY_NAME) {
            violations.add("display_name", "must be at most " + MAX_DISPLAY_NAME + " characters");
        } else if (Text.hasControlCharacters(displayName)) {
            violations.add("display_name", "must not contain control characters");
        }
    }

    public static void deviceName(Violations violations, String deviceName) {
        violations.check(Text.length(deviceName) <= MAX_DEVICE_NAME && !Text.hasControlCharacters(deviceName),
                "device_name", "must be at most " + MAX_DEVICE_NAME + " characters, without control characters");
    }
}
