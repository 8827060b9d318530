package com.royalcare.scheduler.db;

import com.royalcare.scheduler.config.Config;
import com.royalcare.testkit.Postgres;

class PostgresRepositoryTest extends RepositoryContract {

    @Override
    protected Config freshDatabase() {
        return Config.fromMap(Postgres.newDatabaseEnv());
    }
}
