package com.royalcare.scheduler.idempotency;

import com.royalcare.scheduler.support.TestServer;

import java.util.List;

class SqliteIdempotencyTest extends IdempotencyContract {
    @Override
    List<TestServer> startNodes() {
        return List.of(TestServer.start());
    }
}
