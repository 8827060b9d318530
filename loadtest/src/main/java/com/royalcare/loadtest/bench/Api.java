package com.royalcare.loadtest.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The few plain calls the drills make to our server besides the load tool's own (JDK client, Bearer token). */
final class Api {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final String baseUrl;
    private final String authorization;

    Api(String baseUrl, String authorization) {
        this.baseUrl = baseUrl;
        this.authorization = authorization;
    }

    /** GET a path, returning the body; fails on a non-2xx status. */
    String get(String pathAndQuery) throws Exception {
        HttpRequest r = HttpRequest.newBuilder(URI.create(baseUrl + pathAndQuery)).timeout(Duration.ofSeconds(60))
                .header("Authorization", authorization).GET().build();
        HttpResponse<String> res = http.send(r, HttpResponse.BodyHandlers.ofString());
        if (res.statusCode() / 100 != 2) {
            throw new IllegalStateException("GET " + pathAndQuery + " -> " + res.statusCode() + " " + res.body());
        }
        return res.body();
    }

    /** The change log's committed head ({@code GET /api/sync/head}). */
    long head() throws Exception {
        return Long.parseLong(Json.valueAfter(get("/api/sync/head"), "seq", 0));
    }
}
