package dev.parley.cli;

/** A failure the CLI itself detects, with the exit code that tells scripts what kind it is. */
final class CliFailure extends RuntimeException {

    final int exitCode;

    CliFailure(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }
}
