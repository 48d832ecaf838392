package dev.parley.server.auth;

import dev.parley.server.account.Account;
import dev.parley.server.cluster.NodeBus;
import dev.parley.server.common.AfterCommit;
import dev.parley.server.common.ParleyException;
import dev.parley.server.common.SecretTokens;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Bot tokens: issued, revoked, and recognised. Every node holds the hashes of all working tokens in memory (loaded
 * at start and after a lost bus connection, kept current by notices and a periodic read of new ones), so that a bot's call is authenticated
 * without a database read, on the I/O thread, like a person's access token; and a revocation stops a token
 * everywhere at once, ending its open streams through the same path as an ended session.
 */
@Startup
@ApplicationScoped
public class BotTokens {

    /** Bot tokens start with this, so the auth interceptor tells them from access tokens at a glance. */
    static final String PREFIX = "pbt_";
    private static final String CHANNEL = "bots.tokens";

    private record Working(UUID botId, UUID tokenId) {
    }

    /** How far back each check for new tokens looks past the previous one: commits lag, clocks differ. */
    private static final Duration OVERLAP = Duration.ofSeconds(30);
    private static final Logger LOG = Logger.getLogger(BotTokens.class);

    private final Map<String, Working> working = new ConcurrentHashMap<>();
    private final NodeBus bus;
    private final RevokedSessions revoked;
    private final TransactionSynchronizationRegistry transactions;
    private final Clock clock;
    private final AuthConfig config;
    private final ScheduledExecutorService checker = Executors.newSingleThreadScheduledExecutor(
            r -> new Thread(r, "parley-bot-token-check"));
    private volatile Instant checkedUpTo;

    BotTokens(NodeBus bus, RevokedSessions revoked, TransactionSynchronizationRegistry transactions, Clock clock,
            AuthConfig config) {
        this.bus = bus;
        this.revoked = revoked;
        this.transactions = transactions;
        this.clock = clock;
        this.config = config;
    }

    @PostConstruct
    void start() {
        bus.subscribeText(CHANNEL, this::heard);
        bus.onReconnect(this::reload);
        checkedUpTo = clock.instant();
        reload();
        // An issuance notice can be lost like any other (the bus is at most once): new tokens are also read from
        // PostgreSQL on the revocation check's schedule, so a bot token works on every node within that interval.
        long every = config.revocationCheckInterval().toMillis();
        checker.scheduleWithFixedDelay(this::readIssued, every, every, TimeUnit.MILLISECONDS);
    }

    @PreDestroy
    void stop() {
        checker.shutdownNow();
    }

    /** Makes a new token for a bot, in the caller's transaction; it works on every node once committed. */
    public String issue(UUID botId) {
        String token = PREFIX + SecretTokens.generate();
        BotToken row = new BotToken();
        row.id = UUID.randomUUID();
        row.botId = botId;
        row.tokenHash = SecretTokens.hash(token);
        row.createdAt = clock.instant();
        row.persist();
        AfterCommit.run(transactions, () -> {
            working.put(row.tokenHash, new Working(botId, row.id));
            bus.publish(CHANNEL, "issued " + row.tokenHash + " " + botId + " " + row.id);
        });
        return token;
    }

    /** Revokes every working token of a bot, in the caller's transaction; effective everywhere once committed. */
    public void revokeAll(UUID botId) {
        Instant now = clock.instant();
        List<BotToken> active = BotToken.list("botId = ?1 and revokedAt is null", botId);
        active.forEach(token -> token.revokedAt = now);
        List<UUID> ids = active.stream().map(token -> token.id).toList();
        AfterCommit.run(transactions, () -> {
            ids.forEach(this::forget);
            ids.forEach(id -> bus.publish(CHANNEL, "revoked " + id));
            revoked.announce(ids); // ends the bot's open streams, here and on every node
        });
    }

    /** How many tokens of a bot work, and when the newest was issued (null if none). Caller's transaction. */
    public static Summary summaryOf(UUID botId) {
        List<BotToken> active = BotToken.list("botId = ?1 and revokedAt is null order by createdAt desc", botId);
        return new Summary(active.size(), active.isEmpty() ? null : active.get(0).createdAt);
    }

    /** A bot's working tokens in short. */
    public record Summary(int active, Instant newest) {
    }

    boolean looksLikeBotToken(String token) {
        return token.startsWith(PREFIX);
    }

    /** The bot a token proves, its token id standing for the session; UNAUTHENTICATED if it does not work. */
    Caller verify(String token, String clientAddress) {
        Working known = working.get(SecretTokens.hash(token));
        if (known == null) {
            throw ParleyException.unauthenticated("TOKEN_INVALID", "This bot token is not valid (revoked or rotated?)");
        }
        return new Caller(known.botId(), known.tokenId(), clientAddress, true);
    }

    /**
     * Revoked tokens found by the revocation check (their notice lost) stop working here for good, not only until
     * {@link RevokedSessions} forgets them.
     */
    void forgetEnded(@jakarta.enterprise.event.Observes SessionsEnded sessions) {
        sessions.sessionIds().forEach(this::forget);
    }

    private void heard(String notice) {
        String[] parts = notice.split(" ");
        if (parts[0].equals("issued") && parts.length == 4) {
            working.put(parts[1], new Working(UUID.fromString(parts[2]), UUID.fromString(parts[3])));
        } else if (parts[0].equals("revoked") && parts.length == 2) {
            forget(UUID.fromString(parts[1]));
        }
    }

    private void forget(UUID tokenId) {
        working.values().removeIf(known -> known.tokenId().equals(tokenId));
    }

    private void readIssued() {
        try {
            Instant now = clock.instant();
            Instant since = checkedUpTo.minus(OVERLAP);
            List<Object[]> rows = QuarkusTransaction.requiringNew().call(() -> BotToken.getEntityManager()
                    .createQuery("select t.tokenHash, t.botId, t.id from BotToken t, Account a where a.id = t.botId "
                            + "and a.active = true and t.revokedAt is null and t.createdAt >= ?1", Object[].class)
                    .setParameter(1, since).getResultList());
            rows.stream().filter(row -> !revoked.isRevoked((UUID) row[2])).forEach(row -> working.putIfAbsent(
                    (String) row[0], new Working((UUID) row[1], (UUID) row[2])));
            checkedUpTo = now;
        } catch (RuntimeException e) {
            LOG.warnf("bot token check failed: %s", e.toString());
        }
    }

    private void reload() {
        List<Object[]> rows = QuarkusTransaction.requiringNew().call(() -> BotToken.getEntityManager()
                .createQuery("select t.tokenHash, t.botId, t.id from BotToken t, Account a where a.id = t.botId "
                        + "and a.active = true and t.revokedAt is null", Object[].class).getResultList());
        Map<String, Working> fresh = new ConcurrentHashMap<>();
        rows.forEach(row -> fresh.put((String) row[0], new Working((UUID) row[1], (UUID) row[2])));
        working.keySet().retainAll(fresh.keySet());
        working.putAll(fresh);
    }
}
