package dev.parley.server.boot;

/** Why the server cannot start, phrased as the one line an operator reads: what is wrong and how to fix it. */
class StartupFailure extends RuntimeException {

    StartupFailure(String message) {
        super(message, null, false, false);
    }
}
