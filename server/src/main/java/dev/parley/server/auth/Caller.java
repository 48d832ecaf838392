package dev.parley.server.auth;

import dev.parley.server.common.ParleyException;
import io.grpc.Context;
import java.util.UUID;

/**
 * Who is making the current call, as proven by its access token (or bot token: then {@code bot}, and the token's id
 * stands for the session). Set by {@link AuthInterceptor} in the gRPC
 * context of every authenticated call; features read it with {@link #current()}.
 */
public record Caller(UUID accountId, UUID sessionId, String clientAddress, boolean bot) {

    static final Context.Key<Caller> KEY = Context.key("parley-caller");
    static final Context.Key<String> ADDRESS = Context.key("parley-client-address");

    /** The caller of the current call; UNAUTHENTICATED if the call was not authenticated. */
    public static Caller current() {
        Caller caller = KEY.get();
        if (caller == null) {
            throw ParleyException.unauthenticated("TOKEN_MISSING", "This call needs an access token");
        }
        return caller;
    }

    /** The caller of the current call, or null for a call that needs no token (SignUp, LogIn, health). */
    public static Caller currentOrNull() {
        return KEY.get();
    }

    /** Where the current call comes from, known for public calls too. */
    public static String currentAddress() {
        String address = ADDRESS.get();
        return address == null ? "unknown" : address;
    }
}
