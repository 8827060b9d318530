package com.royalcare.scheduler.idempotency;

import com.royalcare.scheduler.support.TestServer;
import com.royalcare.testkit.Postgres;

import java.util.List;

/** Two nodes on one PostgreSQL database: a retry may land on the other node, and duplicates race across nodes. */
class PostgresTwoNodeIdempotencyTest extends IdempotencyContract {
    @Override
    List<TestServer> startNodes() {
        String url = Postgres.newDatabase();
        TestServer a = TestServer.start(Postgres.env(url));
        return List.of(a, TestServer.start(Postgres.env(url)));
    }
}
