package com.royalcare.scheduler.config;

/** A configuration value that cannot be used; its message is the one line printed at startup. */
public class InvalidConfigException extends RuntimeException {
    public InvalidConfigException(String message) {
        super(message);
    }
}
