package dev.parley.loadgen;

import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;

/**
 * The channels of every simulated user: each user has an HTTP/2 connection of its own, but all of them run on one
 * small event-loop group, and their callbacks run right on it (a direct executor), with no hop to another thread
 * per message. On 2 cores the client's CPU is the server's headroom, so the client must cost as little as it can.
 */
final class ClientChannels {

    /** Event-loop threads for all channels; {@code PARLEY_LOADGEN_THREADS} overrides it. */
    private static final int THREADS = Integer.parseInt(System.getenv().getOrDefault("PARLEY_LOADGEN_THREADS", "2"));
    private static final EventLoopGroup LOOPS = new NioEventLoopGroup(THREADS,
            new DefaultThreadFactory("loadgen-loop", true));

    private ClientChannels() {
    }

    static ManagedChannel open(String target) {
        return NettyChannelBuilder.forTarget(target).usePlaintext().eventLoopGroup(LOOPS)
                .channelType(NioSocketChannel.class).directExecutor().build();
    }

    static int threads() {
        return THREADS;
    }
}
