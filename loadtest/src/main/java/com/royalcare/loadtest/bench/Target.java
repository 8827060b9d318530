package com.royalcare.loadtest.bench;

import com.royalcare.testkit.PrometheusScrape;
import com.royalcare.testkit.SseEvent;

import org.eclipse.jetty.client.HttpClient;

/**
 * What the load tool drives: a server with "channels" that can be written to and streamed from.
 * For this project a channel is a staff member (the {@code staffId} filter); another
 * publish/subscribe server (e.g. nchan, issue 5) can implement the same contract with its
 * channel ids and publish endpoint, and then runs under the very same scenarios and accounting.
 */
interface Target extends AutoCloseable {

    /** Short name for reports. */
    String name();

    /** Signs in and creates {@code channels} channels. */
    void setup(int channels) throws Exception;

    /**
     * The stream request for one channel, or every channel when {@code channel < 0}, resuming
     * after {@code lastEventId} when it is neither null nor empty.
     */
    StreamSpec streamSpec(int channel, String lastEventId);

    /**
     * Starts one asynchronous write on {@code channel}. The implementation picks the operation,
     * calls {@link Ledger#begin} right before the request leaves and {@link Ledger#complete} when
     * the response is in. Returns false when nothing can be written on that channel right now
     * (all its slot positions have a request in flight).
     */
    boolean write(int channel, boolean measured, boolean marker, Ledger ledger);

    /** The ledger key an event carries, or null if the event is not a write of this run. */
    String keyOf(SseEvent event);

    /**
     * A number that strictly increases along one stream (the change sequence), or -1 when the
     * target has none; used to count duplicates.
     */
    long orderOf(SseEvent event);

    /** When the server appended the change, epoch µs, or {@code Long.MIN_VALUE} if the event does not say. */
    default long appendedEpochMicros(SseEvent event) {
        return Long.MIN_VALUE;
    }

    /** The server's own counters and histogram buckets (its Prometheus text), empty if it has none. */
    default PrometheusScrape serverMetrics() {
        return PrometheusScrape.empty();
    }

    @Override
    void close() throws Exception;

    /** The started HTTP client a target publishes through: many connections, no redirects, no decoding. */
    static HttpClient publisher(String name) throws Exception {
        HttpClient http = new HttpClient();
        http.setName(name);
        http.setMaxConnectionsPerDestination(256);
        http.setFollowRedirects(false);
        http.getContentDecoderFactories().clear();
        http.start();
        return http;
    }
}
