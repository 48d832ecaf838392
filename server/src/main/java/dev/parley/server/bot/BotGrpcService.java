package dev.parley.server.bot;

import static dev.parley.server.grpc.Replies.reply;

import dev.parley.api.v1.Bot;
import dev.parley.api.v1.BotPermissions;
import dev.parley.api.v1.BotServiceGrpc;
import dev.parley.api.v1.CreateBotRequest;
import dev.parley.api.v1.CreateBotResponse;
import dev.parley.api.v1.ListBotsRequest;
import dev.parley.api.v1.ListBotsResponse;
import dev.parley.api.v1.RevokeBotTokensRequest;
import dev.parley.api.v1.RevokeBotTokensResponse;
import dev.parley.api.v1.RotateBotTokenRequest;
import dev.parley.api.v1.RotateBotTokenResponse;
import dev.parley.api.v1.SetBotPermissionsRequest;
import dev.parley.api.v1.SetBotPermissionsResponse;
import dev.parley.api.v1.SetBotWebhookRequest;
import dev.parley.api.v1.SetBotWebhookResponse;
import dev.parley.server.account.Account;
import dev.parley.server.account.UserViews;
import dev.parley.server.auth.BotTokens;
import dev.parley.server.auth.Caller;
import dev.parley.server.common.Ids;
import dev.parley.server.grpc.ProtoTime;
import dev.parley.server.grpc.ServiceDefinitions;
import io.grpc.ServerServiceDefinition;
import io.grpc.stub.StreamObserver;
import io.quarkus.grpc.GrpcService;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.smallrye.common.annotation.Blocking;
import java.util.UUID;

/** BotService: thin adapter over {@link BotAccounts}. */
@GrpcService
@Blocking
class BotGrpcService extends BotServiceGrpc.BotServiceImplBase {

    /** The generated definition, with the house's request parsing (malformed requests: INVALID_ARGUMENT). */
    @Override
    public ServerServiceDefinition bindService() {
        return ServiceDefinitions.standard(super.bindService());
    }

    private final BotAccounts bots;

    BotGrpcService(BotAccounts bots) {
        this.bots = bots;
    }

    @Override
    public void createBot(CreateBotRequest request, StreamObserver<CreateBotResponse> response) {
        reply(response, QuarkusTransaction.requiringNew().call(() -> {
            var issued = bots.create(Caller.current(), request.getUsername(), request.getDisplayName(),
                    permissions(request.getPermissions()));
            return CreateBotResponse.newBuilder().setBot(view(issued.bot())).setToken(issued.token()).build();
        }));
    }

    @Override
    public void listBots(ListBotsRequest request, StreamObserver<ListBotsResponse> response) {
        reply(response, QuarkusTransaction.requiringNew().call(() -> {
            var answer = ListBotsResponse.newBuilder();
            bots.list(Caller.current(), request.getAllBots()).forEach(bot -> answer.addBots(view(bot)));
            return answer.build();
        }));
    }

    @Override
    public void rotateBotToken(RotateBotTokenRequest request, StreamObserver<RotateBotTokenResponse> response) {
        reply(response, QuarkusTransaction.requiringNew().call(() -> {
            var issued = bots.rotate(Caller.current(), botId(request.getBotId()));
            return RotateBotTokenResponse.newBuilder().setBot(view(issued.bot())).setToken(issued.token()).build();
        }));
    }

    @Override
    public void revokeBotTokens(RevokeBotTokensRequest request, StreamObserver<RevokeBotTokensResponse> response) {
        reply(response, QuarkusTransaction.requiringNew().call(() -> RevokeBotTokensResponse
                .newBuilder().setBot(view(bots.revoke(Caller.current(), botId(request.getBotId())))).build()));
    }

    @Override
    public void setBotWebhook(SetBotWebhookRequest request, StreamObserver<SetBotWebhookResponse> response) {
        reply(response, QuarkusTransaction.requiringNew().call(() -> {
            UUID botId = botId(request.getBotId());
            String secret = bots.setWebhook(Caller.current(), botId, request.getUrl());
            return SetBotWebhookResponse.newBuilder().setBot(view(Account.findById(botId))).setSigningSecret(secret)
                    .build();
        }));
    }

    @Override
    public void setBotPermissions(SetBotPermissionsRequest request,
            StreamObserver<SetBotPermissionsResponse> response) {
        reply(response, QuarkusTransaction.requiringNew().call(() -> SetBotPermissionsResponse.newBuilder()
                .setBot(view(bots.setPermissions(Caller.current(), botId(request.getBotId()),
                        permissions(request.getPermissions())))).build()));
    }

    private static BotAccounts.Permissions permissions(BotPermissions given) {
        return new BotAccounts.Permissions(given.getOpenDirectConversations(), given.getCreateGroups(),
                given.getJoinGroups());
    }

    private static UUID botId(String text) {
        return Ids.require(text, "bot_id");
    }

    /** Runs in the caller's transaction; new tokens count once it commits, so they are counted here by hand. */
    private static Bot view(Account bot) {
        var tokens = BotTokens.summaryOf(bot.id);
        var view = Bot.newBuilder().setUser(UserViews.of(bot, false)).setActiveTokens(tokens.active())
                .setWebhookUrl(bot.webhookUrl == null ? "" : bot.webhookUrl)
                .setPermissions(BotPermissions.newBuilder().setOpenDirectConversations(bot.botMayOpenDirects)
                        .setCreateGroups(bot.botMayCreateGroups).setJoinGroups(bot.botMayJoinGroups));
        if (tokens.newest() != null) {
            view.setTokenIssueTime(ProtoTime.of(tokens.newest()));
        }
        return view.build();
    }
}
