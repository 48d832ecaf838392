package dev.parley.server.grpc;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.quarkus.grpc.GlobalInterceptor;
import io.smallrye.common.vertx.ContextLocals;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Watches each gRPC request's HTTP/2 stream at the Vert.x level (where resets and lost connections are seen) and
 * hands a {@link CallClosure} to the call through the request's Vert.x context, which the call shares.
 */
@GlobalInterceptor
@ApplicationScoped
class CallClosures implements ServerInterceptor {

    private static final String LOCAL = "parley.call-closure";

    void watch(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE + 1).handler(context -> {
            String type = context.request().getHeader("content-type");
            if (type != null && type.startsWith("application/grpc") && !type.startsWith("application/grpc-web")) {
                CallClosure closure = new CallClosure();
                context.response().closeHandler(ignored -> closure.closed());
                context.response().exceptionHandler(ignored -> closure.closed());
                try {
                    ContextLocals.put(LOCAL, closure);
                } catch (UnsupportedOperationException notDuplicated) {
                    // not on a request context: the call simply gets a closure that never fires
                }
            }
            context.next();
        });
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
            ServerCallHandler<Q, R> next) {
        CallClosure closure;
        try {
            closure = ContextLocals.<CallClosure>get(LOCAL).orElse(null);
        } catch (UnsupportedOperationException notDuplicated) {
            closure = null;
        }
        if (closure == null) {
            return next.startCall(call, headers);
        }
        return Contexts.interceptCall(Context.current().withValue(CallClosure.KEY, closure), call, headers, next);
    }
}
