package com.royalcare.scheduler.db;

import com.royalcare.scheduler.config.Config;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

class SqliteRepositoryTest extends RepositoryContract {

    @TempDir
    Path dir;

    @Override
    protected Config freshDatabase() {
        return Config.fromMap(Map.of("DATA_DIR", dir.toString()));
    }
}
