package dev.parley.cli;

import dev.parley.client.ParleyException;

/** Exit codes that let scripts tell failures apart without parsing messages (listed in `parley --help`). */
final class ExitCodes {

    static final int FAILED = 1;
    static final int NOT_LOGGED_IN = 3;
    static final int NOT_FOUND = 4;
    static final int NOT_ALLOWED = 5;
    static final int INVALID = 6;
    static final int UNREACHABLE = 7;
    static final int CONFLICT = 8;
    static final int RATE_LIMITED = 9;

    private ExitCodes() {
    }

    static int of(Exception failure) {
        return switch (failure) {
            case CliFailure cli -> cli.exitCode;
            case ParleyException.UnauthenticatedException e -> NOT_LOGGED_IN;
            case ParleyException.NotFoundException e -> NOT_FOUND;
            case ParleyException.PermissionDeniedException e -> NOT_ALLOWED;
            case ParleyException.InvalidArgumentException e -> INVALID;
            case ParleyException.UnavailableException e -> UNREACHABLE;
            case ParleyException.ConflictException e -> CONFLICT;
            case ParleyException.RateLimitedException e -> RATE_LIMITED;
            default -> FAILED;
        };
    }
}
