package dev.parley.server.grpc;

import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import dev.parley.server.common.ParleyException;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.StatusException;
import io.quarkus.grpc.GlobalInterceptor;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Rules that hold for every field of every request, checked once here from the message's descriptor rather than
 * by each RPC: no string holds NUL (PostgreSQL cannot store byte 0x00, so it used to surface as INTERNAL), and no
 * enum holds a number its definition does not know (proto3 keeps unknown numbers, which then read as the default).
 * A request that breaks one is answered INVALID_ARGUMENT naming each bad field, before any handler sees it.
 */
@GlobalInterceptor
@ApplicationScoped
class RequestFieldChecks implements ServerInterceptor {

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
            ServerCallHandler<Q, R> next) {
        return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(next.startCall(call, headers)) {
            private boolean refused;

            @Override
            public void onMessage(Q request) {
                List<ParleyException.FieldViolation> violations = request instanceof Message message ? violations(message)
                        : List.of();
                if (violations.isEmpty()) {
                    super.onMessage(request);
                    return;
                }
                refused = true;
                StatusException answer = ErrorMapping.toStatusException(ParleyException.invalid(violations));
                call.close(answer.getStatus(), answer.getTrailers());
            }

            @Override
            public void onHalfClose() {
                if (!refused) { // the handler never got its request, and must not be told it is complete
                    super.onHalfClose();
                }
            }
        };
    }

    /** Every field of the message, nested messages included, that breaks a rule; named as in the proto. */
    static List<ParleyException.FieldViolation> violations(Message message) {
        List<ParleyException.FieldViolation> found = new ArrayList<>();
        check(message, "", found);
        return found;
    }

    private static void check(Message message, String prefix, List<ParleyException.FieldViolation> found) {
        for (Map.Entry<FieldDescriptor, Object> field : message.getAllFields().entrySet()) {
            FieldDescriptor descriptor = field.getKey();
            String name = prefix + descriptor.getName();
            if (descriptor.isRepeated()) {
                List<?> values = (List<?>) field.getValue();
                for (int i = 0; i < values.size(); i++) {
                    checkValue(descriptor, values.get(i), name + "[" + i + "]", found);
                }
            } else {
                checkValue(descriptor, field.getValue(), name, found);
            }
        }
    }

    private static void checkValue(FieldDescriptor descriptor, Object value, String name,
            List<ParleyException.FieldViolation> found) {
        switch (descriptor.getJavaType()) {
            case STRING -> {
                if (((String) value).indexOf('\0') >= 0) {
                    found.add(new ParleyException.FieldViolation(name, "must not contain NUL characters"));
                }
            }
            case ENUM -> {
                EnumValueDescriptor known = (EnumValueDescriptor) value;
                if (descriptor.getEnumType().findValueByNumber(known.getNumber()) == null) {
                    found.add(new ParleyException.FieldViolation(name, "is " + known.getNumber() + ", not one of the values of "
                            + descriptor.getEnumType().getName()));
                }
            }
            case MESSAGE -> check((Message) value, name + ".", found);
            default -> {
            }
        }
    }
}
