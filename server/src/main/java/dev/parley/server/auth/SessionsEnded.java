package dev.parley.server.auth;

import java.util.List;
import java.util.UUID;

/** Fired on every node for sessions that just ended, there or elsewhere, so that whatever they hold ends too. */
public record SessionsEnded(List<UUID> sessionIds) {
}
