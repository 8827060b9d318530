package com.royalcare.scheduler.auth;

import com.royalcare.scheduler.staff.PasswordHashing;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

/** bcrypt via Spring Security's encoder; the only place passwords are handled in clear. */
public final class PasswordHasher implements PasswordHashing {

    private final BCryptPasswordEncoder encoder;
    private final String dummyHash;

    /** @param strength bcrypt cost (10 in production; tests may use the minimum, 4) */
    public PasswordHasher(int strength) {
        this.encoder = new BCryptPasswordEncoder(strength);
        this.dummyHash = encoder.encode("not-a-real-password");
    }

    @Override
    public String hash(String password) {
        return encoder.encode(password);
    }

    public boolean matches(String password, String hash) {
        return encoder.matches(password, hash);
    }

    /** Spends the same time as a real check, so unknown usernames cannot be told apart by timing. */
    public void burn(String password) {
        encoder.matches(password, dummyHash);
    }
}
