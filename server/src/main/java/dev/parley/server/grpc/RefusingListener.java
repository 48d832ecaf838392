package dev.parley.server.grpc;

import dev.parley.server.common.ParleyException;
import io.grpc.ForwardingServerCallListener;
import io.grpc.ServerCall;
import io.grpc.StatusException;

/**
 * A call's listener that checks each request message before the service sees it: a refused message closes the call
 * with the refusal's status and typed details, and nothing of the call reaches the service after it.
 */
abstract class RefusingListener<Q> extends ForwardingServerCallListener.SimpleForwardingServerCallListener<Q> {

    private final ServerCall<Q, ?> call;
    private boolean refused;

    RefusingListener(ServerCall<Q, ?> call, ServerCall.Listener<Q> next) {
        super(next);
        this.call = call;
    }

    /** Why the message must not reach the service, or null when it may. */
    abstract ParleyException refusal(Q message);

    @Override
    public void onMessage(Q message) {
        if (refused) {
            return;
        }
        ParleyException why = refusal(message);
        if (why != null) {
            refused = true;
            StatusException answer = ErrorMapping.toStatusException(why);
            call.close(answer.getStatus(), answer.getTrailers());
            return;
        }
        super.onMessage(message);
    }

    @Override
    public void onHalfClose() {
        if (!refused) {
            super.onHalfClose();
        }
    }
}
