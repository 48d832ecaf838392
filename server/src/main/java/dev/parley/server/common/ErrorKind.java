package dev.parley.server.common;

/**
 * What kind of refusal a {@link ParleyException} is, in the terms of the API's error table. Named after the gRPC
 * codes they become (one place, {@code grpc.ErrorMapping}, does that), so that domain code says what went wrong
 * without knowing the transport.
 */
public enum ErrorKind {
    /** A field of the request is wrong; the request will never work as it is. */
    INVALID_ARGUMENT,
    /** Does not exist, or the caller may not know that it does. */
    NOT_FOUND,
    /** What the request would create exists already. */
    ALREADY_EXISTS,
    /** The caller is known but may not do this. */
    PERMISSION_DENIED,
    /** No caller, or one whose credentials do not hold (any more). */
    UNAUTHENTICATED,
    /** Not possible in the state things are in now. */
    FAILED_PRECONDITION,
    /** Too much, too often: wait, or ask for less. */
    RESOURCE_EXHAUSTED,
    /** A dependency or this node cannot serve right now; retrying may work. */
    UNAVAILABLE,
    /** A bug. */
    INTERNAL
}
