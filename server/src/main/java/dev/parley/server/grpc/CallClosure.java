package dev.parley.server.grpc;

import io.grpc.Context;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Tells a long call that its HTTP/2 stream is gone: reset by the client (cancel, deadline) or lost with its
 * connection. The Vert.x gRPC bridge only reports that for calls whose request is still open, so a server-streaming
 * call would never hear it; {@link CallClosures} watches the stream itself and runs what was registered here.
 */
public final class CallClosure {

    static final Context.Key<CallClosure> KEY = Context.key("parley-call-closure");

    private final List<Runnable> onClose = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    /** The current call's closure; one that never fires when the call did not come over HTTP/2 here. */
    public static CallClosure current() {
        CallClosure closure = KEY.get();
        return closure == null ? new CallClosure() : closure;
    }

    /** Runs the action once the stream closes, at once if it already has. */
    public void onClose(Runnable action) {
        onClose.add(action);
        if (closed && onClose.remove(action)) {
            action.run();
        }
    }

    void closed() {
        closed = true;
        for (Runnable action : onClose) {
            if (onClose.remove(action)) {
                action.run();
            }
        }
    }
}
