package com.royalcare.loadtest.bench;

import com.royalcare.testkit.SseEvent;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Both stream clients against a scripted SSE endpoint: events are matched to writes with their
 * arrival time, a repeated sequence number counts as a duplicate, and a stream the server ends
 * resumes with {@code Last-Event-ID} so nothing is lost.
 */
class StreamPoolTest {

    /** What each stream request asked for (its Last-Event-ID), in order. */
    private final List<String> resumeIds = new CopyOnWriteArrayList<>();
    private Server server;
    private int port;

    @BeforeEach
    void startServer() throws Exception {
        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                String lastId = request.getHeaders().get("Last-Event-ID");
                resumeIds.add(lastId == null ? "" : lastId);
                response.getHeaders().put("Content-Type", "text/event-stream");
                String body;
                if (lastId == null) {
                    // first connection: k1, k2, k2 again (a duplicate), then the server ends the stream
                    body = ": hello\n\n" + event(1, "k1") + event(2, "k2") + event(2, "k2");
                    response.write(true, utf8(body), callback);
                } else {
                    // the resume: only what comes after the id it sent, then stay open
                    body = event(3, "k3");
                    response.write(false, utf8(body), Callback.NOOP);
                }
                return true;
            }
        });
        server.start();
        port = connector.getLocalPort();
    }

    @AfterEach
    void stopServer() throws Exception {
        server.stop();
    }

    private static String event(long seq, String key) {
        return "id: " + seq + "\nevent: availability_created\ndata: {\"seq\":" + seq + ",\"data\":{\"note\":\"" + key
                + "\"}}\n\n";
    }

    private static ByteBuffer utf8(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
    }

    @ParameterizedTest
    @ValueSource(strings = {"jetty", "nio"})
    void matches_events_counts_duplicates_and_resumes_after_the_server_ends_a_stream(String client) throws Exception {
        Ledger ledger = new Ledger(channel -> 1);
        Ledger.Write[] writes = {
            ledger.begin("k1", 0, true, false), ledger.begin("k2", 0, true, false), ledger.begin("k3", 0, true, false)};
        for (Ledger.Write w : writes) {
            ledger.complete(w, 201);
        }

        try (StreamPool pool = StreamPool.create(client, new ScriptedTarget(port), ledger, 1, 1, 1, i -> 0)) {
            pool.openAll(10_000);

            assertThat(LoadTool.waitFor(() -> ledger.outstanding() == 0, 10_000))
                    .as("every write delivered, outstanding %d", ledger.outstanding()).isTrue();
            assertThat(LoadTool.waitFor(() -> pool.streamsOpen.get() == 1, 5_000)).isTrue();
            Ledger.Totals totals = ledger.totals();
            assertThat(totals.lost()).isZero();
            assertThat(totals.received()).isEqualTo(3);
            assertThat(totals.duplicates()).isEqualTo(1);
            assertThat(totals.extra()).isZero();
            assertThat(pool.endedByServer.sum()).isEqualTo(1);
            assertThat(pool.reconnects.sum()).isEqualTo(1);
            assertThat(resumeIds).containsExactly("", "2");
            assertThat(ledger.deliveryHistogram().getTotalCount()).isEqualTo(3);
            assertThat(ledger.deliveryHistogram().getMaxValue()).isLessThan(TimeUnit.SECONDS.toMicros(10));
        }
    }

    /** A target whose only channel is the scripted endpoint; it never writes. */
    private record ScriptedTarget(int port) implements Target {
        @Override
        public String name() {
            return "scripted";
        }

        @Override
        public void setup(int channels) {
        }

        @Override
        public StreamSpec streamSpec(int channel, String lastEventId) {
            return new StreamSpec(URI.create("http://127.0.0.1:" + port + "/events"),
                    lastEventId == null || lastEventId.isEmpty() ? Map.of() : Map.of("Last-Event-ID", lastEventId));
        }

        @Override
        public boolean write(int channel, boolean measured, boolean marker, Ledger ledger) {
            return false;
        }

        @Override
        public String keyOf(SseEvent event) {
            return Json.valueAfter(event.data(), "note", 0);
        }

        @Override
        public long orderOf(SseEvent event) {
            return Long.parseLong(event.id());
        }

        @Override
        public void close() {
        }
    }
}
