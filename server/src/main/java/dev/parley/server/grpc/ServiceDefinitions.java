package dev.parley.server.grpc;

import io.grpc.MethodDescriptor;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServiceDescriptor;
import java.io.InputStream;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Changes to the generated service definitions, applied by each service's {@code bindService()} (Quarkus binds
 * services itself, before any server-wide hook could reach them).
 */
public final class ServiceDefinitions {

    /** {@code parley.grpc.max-message-bytes}: read here once, since services bind before any bean could pass it. */
    private static final int MAX_MESSAGE_BYTES = org.eclipse.microprofile.config.ConfigProvider.getConfig()
            .getOptionalValue("parley.grpc.max-message-bytes", Integer.class).orElse(4 * 1024 * 1024);

    private ServiceDefinitions() {
    }

    /**
     * The definition every service binds: a request that does not parse (broken protobuf, a string field that is
     * not UTF-8) reaches the interceptors as a {@code null} message, which {@link MalformedRequests} answers with
     * INVALID_ARGUMENT. Left to grpc-java, the failure ends the call as UNKNOWN "Application error processing RPC".
     * A request is read no further than the message limit ({@link OversizedRequests}), compressed or not.
     */
    public static ServerServiceDefinition standard(ServerServiceDefinition generated) {
        return map(generated, ServiceDefinitions::lenient);
    }

    /** The definition with each method replaced by what {@code change} makes of it. */
    public static ServerServiceDefinition map(ServerServiceDefinition definition,
            UnaryOperator<ServerMethodDefinition<?, ?>> change) {
        ServiceDescriptor descriptor = definition.getServiceDescriptor();
        List<ServerMethodDefinition<?, ?>> methods = definition.getMethods().stream().map(change).toList();
        var service = ServiceDescriptor.newBuilder(descriptor.getName())
                .setSchemaDescriptor(descriptor.getSchemaDescriptor());
        methods.forEach(method -> service.addMethod(method.getMethodDescriptor()));
        var changed = ServerServiceDefinition.builder(service.build());
        methods.forEach(changed::addMethod);
        return changed.build();
    }

    private static <Q, R> ServerMethodDefinition<Q, R> lenient(ServerMethodDefinition<Q, R> method) {
        MethodDescriptor<Q, R> descriptor = method.getMethodDescriptor();
        MethodDescriptor.Marshaller<Q> strict = descriptor.getRequestMarshaller();
        MethodDescriptor.Marshaller<Q> lenient = new MethodDescriptor.Marshaller<>() {
            @Override
            public InputStream stream(Q value) {
                return strict.stream(value);
            }

            @Override
            public Q parse(InputStream stream) {
                var bounded = new OversizedRequests.Bounded(stream, MAX_MESSAGE_BYTES);
                try {
                    return strict.parse(bounded);
                } catch (RuntimeException unreadable) {
                    return bounded.exceeded() ? OversizedRequests.marker(strict) : null;
                }
            }
        };
        return ServerMethodDefinition.create(descriptor.toBuilder().setRequestMarshaller(lenient).build(),
                method.getServerCallHandler());
    }
}
