package dev.parley.server.grpc;

import io.grpc.stub.StreamObserver;

/** Unary answers: one value, then completion. Failures are thrown instead and answered by {@link ErrorMapping}. */
public final class Replies {

    private Replies() {
    }

    public static <T> void reply(StreamObserver<T> observer, T value) {
        observer.onNext(value);
        observer.onCompleted();
    }
}
