package dev.parley.server.user;

import dev.parley.api.v1.UpdateProfileRequest;
import dev.parley.server.account.Account;
import dev.parley.server.account.AccountRules;
import dev.parley.server.attachment.Avatars;
import dev.parley.server.common.Ids;
import dev.parley.server.common.Text;
import dev.parley.server.common.Violations;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.UUID;

/** People's own profiles: what they may change about how others see them. */
@ApplicationScoped
class Profiles {

    private final Avatars avatars;

    Profiles(Avatars avatars) {
        this.avatars = avatars;
    }

    private static final int MAX_AVATAR_URL = 2048;
    private static final int MAX_STATUS_TEXT = 140;

    Account update(UUID accountId, UpdateProfileRequest request) {
        Violations violations = new Violations();
        if (request.hasDisplayName()) {
            AccountRules.displayName(violations, request.getDisplayName(), true);
        }
        if (request.hasAvatarUrl() && !request.getAvatarUrl().isEmpty()) {
            violations.check(isWebAddress(request.getAvatarUrl()), "avatar_url",
                    "must be an http or https URL of at most " + MAX_AVATAR_URL + " characters");
        }
        UUID avatarUpload = null;
        if (request.hasAvatarAttachmentId()) {
            violations.check(!request.hasAvatarUrl(), "avatar_url", "must not be set with avatar_attachment_id");
            violations.check(!request.hasAvatarUrl(), "avatar_attachment_id", "must not be set with avatar_url");
            avatarUpload = Ids.require(request.getAvatarAttachmentId(), "avatar_attachment_id");
        }
        if (request.hasStatusText()) {
            violations.check(Text.length(request.getStatusText()) <= MAX_STATUS_TEXT
                            && !Text.hasControlCharacters(request.getStatusText()), "status_text",
                    "must be at most " + MAX_STATUS_TEXT + " characters, without control characters");
        }
        violations.throwIfAny();
        UUID chosen = avatarUpload;
        return QuarkusTransaction.requiringNew().call(() -> {
            Account account = Account.existing(accountId);
            if (chosen != null) {
                account.avatarUrl = avatars.adopt(accountId, chosen, "avatar_attachment_id");
            }
            if (request.hasDisplayName()) {
                account.displayName = request.getDisplayName().strip();
            }
            if (request.hasAvatarUrl()) {
                avatars.drop(accountId);
                account.avatarUrl = request.getAvatarUrl().strip();
            }
            if (request.hasStatusText()) {
                account.statusText = request.getStatusText().strip();
            }
            return account;
        });
    }

    private static boolean isWebAddress(String text) {
        if (text.length() > MAX_AVATAR_URL) {
            return false;
        }
        try {
            URI uri = new URI(text.strip());
            return ("https".equalsIgnoreCase(uri.getScheme()) || "http".equalsIgnoreCase(uri.getScheme()))
                    && uri.getHost() != null;
        } catch (URISyntaxException e) {
            return false;
        }
    }
}
