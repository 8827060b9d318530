package com.royalcare.scheduler.staff;

/** Turns a clear password into the hash staff stores (auth implements it with bcrypt). */
@FunctionalInterface
public interface PasswordHashing {

    String hash(String password);
}
