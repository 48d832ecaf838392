package dev.parley.server.attachment;

import static dev.parley.server.grpc.Replies.reply;

import dev.parley.api.v1.AttachmentServiceGrpc;
import dev.parley.api.v1.CompleteUploadRequest;
import dev.parley.api.v1.CompleteUploadResponse;
import dev.parley.api.v1.CreateUploadRequest;
import dev.parley.api.v1.CreateUploadResponse;
import dev.parley.api.v1.GetAttachmentLinkRequest;
import dev.parley.api.v1.GetAttachmentLinkResponse;
import dev.parley.api.v1.GetUploadRequest;
import dev.parley.api.v1.GetUploadResponse;
import dev.parley.api.v1.UploadChunkRequest;
import dev.parley.api.v1.UploadChunkResponse;
import dev.parley.server.auth.Caller;
import dev.parley.server.common.Ids;
import dev.parley.server.grpc.ProtoTime;
import dev.parley.server.grpc.ServiceDefinitions;
import io.grpc.ServerServiceDefinition;
import io.grpc.stub.StreamObserver;
import io.quarkus.grpc.GrpcService;
import io.smallrye.common.annotation.Blocking;
import java.util.UUID;

/** AttachmentService over gRPC: parses, calls the domain, maps. */
@GrpcService
@Blocking
class AttachmentGrpcService extends AttachmentServiceGrpc.AttachmentServiceImplBase {

    private final Uploads uploads;
    private final Completions completions;
    private final AttachmentAccess access;

    AttachmentGrpcService(Uploads uploads, Completions completions, AttachmentAccess access) {
        this.uploads = uploads;
        this.completions = completions;
        this.access = access;
    }

    /** The generated definition, with the house's request parsing (malformed requests: INVALID_ARGUMENT). */
    @Override
    public ServerServiceDefinition bindService() {
        return ServiceDefinitions.standard(super.bindService());
    }

    @Override
    public void createUpload(CreateUploadRequest request, StreamObserver<CreateUploadResponse> response) {
        UUID conversation = request.getConversationId().isEmpty() ? null
                : Ids.require(request.getConversationId(), "conversation_id");
        StoredAttachment upload = uploads.create(me(), conversation,
                request.getName(), request.getSizeBytes(), request.getMediaType(), request.getSha256());
        reply(response, CreateUploadResponse.newBuilder().setUpload(view(upload)).build());
    }

    @Override
    public void uploadChunk(UploadChunkRequest request, StreamObserver<UploadChunkResponse> response) {
        StoredAttachment upload = uploads.append(me(), uploadId(request.getUploadId()), request.getOffset(),
                request.getData().toByteArray());
        reply(response, UploadChunkResponse.newBuilder().setUpload(view(upload)).build());
    }

    @Override
    public void getUpload(GetUploadRequest request, StreamObserver<GetUploadResponse> response) {
        reply(response, GetUploadResponse.newBuilder()
                .setUpload(view(uploads.get(me(), uploadId(request.getUploadId())))).build());
    }

    @Override
    public void completeUpload(CompleteUploadRequest request, StreamObserver<CompleteUploadResponse> response) {
        StoredAttachment attachment = completions.complete(me(), uploadId(request.getUploadId()));
        reply(response, CompleteUploadResponse.newBuilder()
                .setAttachment(AttachmentViews.attachment(attachment)).build());
    }

    @Override
    public void getAttachmentLink(GetAttachmentLinkRequest request,
            StreamObserver<GetAttachmentLinkResponse> response) {
        AttachmentAccess.Link link = access.link(me(), Ids.require(request.getAttachmentId(), "attachment_id"),
                request.getThumbnail());
        reply(response, GetAttachmentLinkResponse.newBuilder().setUrl(link.path())
                .setExpireTime(ProtoTime.of(link.expires())).build());
    }

    private dev.parley.api.v1.Upload view(StoredAttachment upload) {
        return AttachmentViews.upload(upload, uploads.expiry(upload));
    }

    private static UUID uploadId(String text) {
        return Ids.require(text, "upload_id");
    }

    private static UUID me() {
        return Caller.current().accountId();
    }
}
