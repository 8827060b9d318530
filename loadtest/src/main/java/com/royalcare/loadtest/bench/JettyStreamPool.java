package com.royalcare.loadtest.bench;

import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.client.transport.HttpClientTransportOverHTTP;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.util.thread.Invocable;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * Streams on Jetty's non-blocking HttpClient: a handful of selector threads, no thread per
 * connection. Response content is read with a demand loop that runs on the selector thread itself
 * ({@link Invocable.InvocationType#NON_BLOCKING}) and parsed incrementally.
 */
final class JettyStreamPool extends StreamPool {

    private final HttpClient client;

    JettyStreamPool(Target target, Ledger ledger, int count, int selectors, int connectConcurrency) throws Exception {
        super(target, ledger, count, connectConcurrency);
        ClientConnector connector = new ClientConnector();
        connector.setSelectors(selectors);
        QueuedThreadPool pool = new QueuedThreadPool(8, 2);
        pool.setName("bench-streams");
        connector.setExecutor(pool);
        HttpClientTransportOverHTTP transport = new HttpClientTransportOverHTTP(connector);
        // our listeners never block: run them on the selector thread, no hand-off per read
        transport.setInvocationType(Invocable.InvocationType.NON_BLOCKING);
        client = new HttpClient(transport);
        client.setName("bench-streams");
        client.setExecutor(pool);
        client.setMaxConnectionsPerDestination(count + 64);
        client.setMaxRequestsQueuedPerDestination(count + 64);
        client.setConnectTimeout(30_000);
        client.setIdleTimeout(TimeUnit.MINUTES.toMillis(10)); // the server heartbeats every 15 s
        client.setFollowRedirects(false);
        client.getContentDecoderFactories().clear();
        client.start();
    }

    @Override
    protected Subscriber newSubscriber(int index, int channel) {
        return new JettySubscriber(index, channel);
    }

    @Override
    protected void stop() throws Exception {
        client.stop();
    }

    private final class JettySubscriber extends Subscriber {
        private volatile Request request;

        JettySubscriber(int index, int channel) {
            super(index, channel);
        }

        @Override
        void open(String lastEventId, boolean holdsPermit) {
            AtomicBoolean permit = new AtomicBoolean(holdsPermit);
            Runnable releasePermit = () -> {
                if (permit.compareAndSet(true, false)) {
                    connecting.release();
                }
            };
            StreamSpec spec = spec(lastEventId);
            Request r = client.newRequest(spec.uri()).method(HttpMethod.GET)
                    .headers(h -> spec.headers().forEach(h::put));
            request = r;
            AtomicBoolean wasOpen = new AtomicBoolean();
            r.onResponseContentSource((response, source) -> {
                releasePermit.run();
                if (!answered(response.getStatus())) {
                    response.abort(new IllegalStateException("stream answered HTTP " + response.getStatus()));
                    return;
                }
                wasOpen.set(true);
                new Reader(response, source).run();
            });
            r.send(result -> {
                releasePermit.run();
                if (request != r) {
                    return;
                }
                Throwable failure = result.getFailure();
                ended(wasOpen.get(), failure == null || failure instanceof CancellationException ? null
                        : String.valueOf(failure));
            });
        }

        @Override
        void abort() {
            Request r = request;
            if (r != null) {
                r.abort(new CancellationException("load tool closing the stream"));
            }
        }

        /** The demand loop: read what is there, then ask to be called back when more arrives. */
        private final class Reader extends Invocable.Task.Abstract {
            private final Response response;
            private final Content.Source source;

            Reader(Response response, Content.Source source) {
                super(Invocable.InvocationType.NON_BLOCKING);
                this.response = response;
                this.source = source;
            }

            @Override
            public void run() {
                while (true) {
                    Content.Chunk chunk = source.read();
                    if (chunk == null) {
                        source.demand(this);
                        return;
                    }
                    if (Content.Chunk.isFailure(chunk)) {
                        response.abort(chunk.getFailure());
                        return;
                    }
                    arrivalNanos = System.nanoTime();
                    bytes.add(chunk.remaining());
                    try {
                        parser.feed(chunk.getByteBuffer());
                    } catch (RuntimeException e) {
                        chunk.release();
                        response.abort(e);
                        return;
                    }
                    boolean last = chunk.isLast();
                    chunk.release();
                    if (last) {
                        return;
                    }
                }
            }
        }
    }
}
