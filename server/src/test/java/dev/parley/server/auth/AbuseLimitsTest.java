package dev.parley.server.auth;

import static dev.parley.server.support.Errors.assertFails;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.api.v1.GetMeRequest;
import dev.parley.api.v1.LogInRequest;
import dev.parley.api.v1.RequestPasswordResetRequest;
import dev.parley.api.v1.ResetPasswordRequest;
import dev.parley.api.v1.SignUpRequest;
import dev.parley.api.v1.SignUpResponse;
import dev.parley.server.support.Api;
import dev.parley.server.support.Errors;
import dev.parley.server.support.LowLimits;
import dev.parley.server.support.TestUsers;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What a stranger can make the server do without an account is bounded: sign-ups and reset mails per address,
 * concurrent password guesses per account, and bogus reset tokens (which cost no hash). Every call names its
 * client address (x-forwarded-for, trusted in tests), fresh per test, so the limits of one test leave the others be.
 */
@QuarkusTest
@TestProfile(LowLimits.class)
class AbuseLimitsTest {

    /** Limits low enough to reach in a test; the defaults are 20 sign-ups and 5 reset mails per address per hour. */
    @Test
    void signUpsPastTheLimitOfAnAddressAreRefusedWithTheWaitAndOtherAddressesStillSignUp() {
        String address = Api.freshAddress();
        for (int i = 0; i < 3; i++) {
            signUp(address, "limited");
        }
        var refused = assertFails(Status.Code.RESOURCE_EXHAUSTED, "SIGN_UP_THROTTLED", () -> signUp(address, "over"));
        assertThat(Errors.retryDelay(refused)).hasValueSatisfying(wait -> assertThat(wait)
                .isPositive().isLessThanOrEqualTo(Duration.ofHours(1)));
        signUp(Api.freshAddress(), "elsewhere");
    }

    @Test
    void resetMailsPastTheLimitOfAnAddressAreRefusedWithTheWait() {
        String address = Api.freshAddress();
        var reset = Api.from(Api.auth(), address);
        for (int i = 0; i < 2; i++) {
            reset.requestPasswordReset(RequestPasswordResetRequest.newBuilder().setEmail("nobody@example.com").build());
        }
        var refused = assertFails(Status.Code.RESOURCE_EXHAUSTED, "RESET_THROTTLED", () -> reset.requestPasswordReset(
                RequestPasswordResetRequest.newBuilder().setEmail("nobody@example.com").build()));
        assertThat(Errors.retryDelay(refused)).isPresent();
    }

    @Test
    void fiftyConcurrentWrongPasswordsGetAtMostTenAnswersAndTheRestAreThrottled() throws Exception {
        SignUpResponse target = signUp(Api.freshAddress(), "guessed");
        String attacker = Api.freshAddress();
        List<StatusRuntimeException> failures = concurrently(50, () -> Api.from(Api.auth(), attacker).logIn(
                LogInRequest.newBuilder().setLogin(target.getUser().getUsername()).setPassword("wrong password")
                        .setDeviceName("guess").build()));

        assertThat(failures).hasSize(50);
        long wrong = failures.stream().filter(f -> Errors.reason(f).equals("INVALID_CREDENTIALS")).count();
        List<StatusRuntimeException> throttled = failures.stream()
                .filter(f -> Errors.reason(f).equals("LOGIN_THROTTLED")).toList();
        assertThat(wrong).isLessThanOrEqualTo(10);
        assertThat(wrong + throttled.size()).isEqualTo(50);
        assertThat(throttled).allSatisfy(f -> {
            assertThat(f.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
            assertThat(Errors.retryDelay(f)).isPresent();
        });
    }

    @Test
    void threeHundredBogusResetTokensAreRefusedQuicklyWhileOthersAreServed() throws Exception {
        SignUpResponse bystander = signUp(Api.freshAddress(), "bystander");
        var me = Api.withToken(Api.users(), bystander.getTokens().getAccessToken());
        for (int i = 0; i < 50; i++) {
            me.getMe(GetMeRequest.getDefaultInstance()); // as a server that has run: a cold path is not what is measured
        }
        concurrently(20, () -> Api.auth().resetPassword(ResetPasswordRequest.newBuilder() // as a server that has run
                .setResetToken("warm-up").setNewPassword("a new long password").build()));
        var flood = Executors.newVirtualThreadPerTaskExecutor();
        long started = System.nanoTime();
        List<Future<List<StatusRuntimeException>>> attack = List.of(flood.submit(() -> concurrently(300, () ->
                Api.from(Api.auth(), Api.freshAddress()).resetPassword(ResetPasswordRequest.newBuilder()
                        .setResetToken("bogus-" + System.nanoTime()).setNewPassword("a new long password").build()))));
        Thread.sleep(100);
        long asked = System.nanoTime();
        me.withDeadlineAfter(5, TimeUnit.SECONDS).getMe(GetMeRequest.getDefaultInstance());
        // Bounds with room for a slow day: hashing 300 passwords (Argon2id, ~50 ms each) would take 7 s or more on
        // this machine's two cores, so a refusal that stayed cheap is what keeps both far under them.
        assertThat(Duration.ofNanos(System.nanoTime() - asked)).isLessThan(Duration.ofSeconds(2));

        List<StatusRuntimeException> failures = attack.get(0).get(10, TimeUnit.SECONDS);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
        assertThat(failures).hasSize(300).allSatisfy(f -> {
            assertThat(f.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(Errors.reason(f)).isEqualTo("RESET_TOKEN_INVALID");
        });
        flood.shutdown();
    }

    private static SignUpResponse signUp(String address, String prefix) {
        String name = TestUsers.uniqueName(prefix);
        return Api.from(Api.auth(), address).signUp(SignUpRequest.newBuilder().setUsername(name)
                .setEmail(name + "@example.com").setPassword(TestUsers.PASSWORD).setDeviceName("tests").build());
    }

    /** Runs the call n times at once; the failures, one per call that failed. */
    private static List<StatusRuntimeException> concurrently(int n, Runnable call) throws Exception {
        try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<StatusRuntimeException>> calls = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                calls.add(threads.submit((Callable<StatusRuntimeException>) () -> {
                    try {
                        call.run();
                        return null;
                    } catch (StatusRuntimeException failure) {
                        return failure;
                    }
                }));
            }
            List<StatusRuntimeException> failures = new ArrayList<>();
            for (Future<StatusRuntimeException> result : calls) {
                StatusRuntimeException failure = result.get(30, TimeUnit.SECONDS);
                if (failure != null) {
                    failures.add(failure);
                }
            }
            return failures;
        }
    }
}
