package dev.parley.server.auth;

import static dev.parley.server.grpc.Replies.reply;

import dev.parley.server.grpc.ErrorMapping;
import io.grpc.Context;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;

/**
 * Runs the calls anyone can make without an account (SignUp, LogIn, RequestPasswordReset, ResetPassword) on virtual
 * threads, at most {@link #AT_ONCE} at a time. A flood of them then waits unmounted, in turn, instead of occupying
 * every worker thread and pooled database connection: the calls of people signed in, on the worker threads, keep
 * getting the CPU and a connection. (Quarkus's own {@code @RunOnVirtualThread} was tried first: it may run a call's
 * half-close before its message, answered "Half-closed without a request".)
 */
final class StrangerCalls {

    /** Well under the database pool's 20 connections, and enough to keep two cores busy hashing. */
    static final int AT_ONCE = 8;
    private static final Semaphore TURNS = new Semaphore(AT_ONCE, true);
    private static final ExecutorService THREADS = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("stranger-call-", 0).factory());

    private StrangerCalls() {
    }

    /** Answers with what {@code work} returns, or with its failure mapped as every other call's is. */
    static <T> void answer(StreamObserver<T> response, Supplier<T> work) {
        THREADS.execute(Context.current().wrap(() -> {
            T value;
            TURNS.acquireUninterruptibly();
            try {
                value = work.get();
            } catch (RuntimeException failure) {
                response.onError(ErrorMapping.toStatusException(failure));
                return;
            } finally {
                TURNS.release();
            }
            reply(response, value);
        }));
    }
}
