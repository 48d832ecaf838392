package dev.parley.server.notification;

import static dev.parley.server.grpc.Replies.reply;

import dev.parley.api.v1.GetNotificationSettingsRequest;
import dev.parley.api.v1.GetNotificationSettingsResponse;
import dev.parley.api.v1.GetPushConfigRequest;
import dev.parley.api.v1.GetPushConfigResponse;
import dev.parley.api.v1.ListDevicesRequest;
import dev.parley.api.v1.ListDevicesResponse;
import dev.parley.api.v1.NotificationServiceGrpc;
import dev.parley.api.v1.RegisterDeviceRequest;
import dev.parley.api.v1.RegisterDeviceResponse;
import dev.parley.api.v1.UnregisterDeviceRequest;
import dev.parley.api.v1.UnregisterDeviceResponse;
import dev.parley.api.v1.UpdateNotificationSettingsRequest;
import dev.parley.api.v1.UpdateNotificationSettingsResponse;
import dev.parley.server.auth.Caller;
import dev.parley.server.common.Ids;
import dev.parley.server.grpc.ServiceDefinitions;
import io.grpc.ServerServiceDefinition;
import io.grpc.stub.StreamObserver;
import io.quarkus.grpc.GrpcService;
import io.smallrye.common.annotation.Blocking;
import java.util.UUID;

/** NotificationService over gRPC: parses, calls the domain, maps. */
@GrpcService
@Blocking
class NotificationGrpcService extends NotificationServiceGrpc.NotificationServiceImplBase {

    private final Devices devices;
    private final AccountLevels levels;
    private final Vapid vapid;
    private final PushQueue queue;

    NotificationGrpcService(Devices devices, AccountLevels levels, Vapid vapid, PushQueue queue) {
        this.devices = devices;
        this.levels = levels;
        this.vapid = vapid;
        this.queue = queue;
    }

    /** The generated definition, with the house's request parsing (malformed requests: INVALID_ARGUMENT). */
    @Override
    public ServerServiceDefinition bindService() {
        return ServiceDefinitions.standard(super.bindService());
    }

    @Override
    public void getPushConfig(GetPushConfigRequest request, StreamObserver<GetPushConfigResponse> response) {
        me();
        reply(response, GetPushConfigResponse.newBuilder().setVapidPublicKey(vapid.publicKey()).build());
    }

    @Override
    public void registerDevice(RegisterDeviceRequest request, StreamObserver<RegisterDeviceResponse> response) {
        var device = devices.register(me(), request.getDevice());
        queue.deviceRegistered();
        reply(response, RegisterDeviceResponse.newBuilder().setDevice(device).build());
    }

    @Override
    public void unregisterDevice(UnregisterDeviceRequest request,
            StreamObserver<UnregisterDeviceResponse> response) {
        devices.unregister(me(), Ids.require(request.getDeviceId(), "device_id"));
        reply(response, UnregisterDeviceResponse.getDefaultInstance());
    }

    @Override
    public void listDevices(ListDevicesRequest request, StreamObserver<ListDevicesResponse> response) {
        reply(response, ListDevicesResponse.newBuilder().addAllDevices(devices.list(me())).build());
    }

    @Override
    public void getNotificationSettings(GetNotificationSettingsRequest request,
            StreamObserver<GetNotificationSettingsResponse> response) {
        reply(response, GetNotificationSettingsResponse.newBuilder().setSettings(levels.get(me())).build());
    }

    @Override
    public void updateNotificationSettings(UpdateNotificationSettingsRequest request,
            StreamObserver<UpdateNotificationSettingsResponse> response) {
        reply(response, UpdateNotificationSettingsResponse.newBuilder()
                .setSettings(levels.update(me(), request)).build());
    }

    private static UUID me() {
        return Caller.current().accountId();
    }
}
