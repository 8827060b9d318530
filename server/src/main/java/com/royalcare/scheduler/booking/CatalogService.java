package com.royalcare.scheduler.booking;

import com.royalcare.scheduler.web.Caller;
import com.royalcare.scheduler.db.Database;
import com.royalcare.scheduler.idempotency.Idempotent;
import com.royalcare.scheduler.sync.Audience;
import com.royalcare.scheduler.sync.ChangeLog;
import com.royalcare.scheduler.sync.NewChange;
import com.royalcare.scheduler.web.Json;
import org.jdbi.v3.core.Handle;

import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/** The service menu (anyone signed in reads it, operators change it) and the clients (operators only). */
public final class CatalogService {

    public static final String SERVICE_UPDATED = "service_updated";
    public static final String CLIENT_UPDATED = "client_updated";
    static final int CLIENT_SEARCH_LIMIT = 50;

    public record Listing<T>(long seq, List<T> items) {
    }

    private final Database db;
    private final TreatmentRepository treatments;
    private final ClientRepository clients;
    private final ChangeLog changes;

    CatalogService(Database db, TreatmentRepository treatments, ClientRepository clients, ChangeLog changes) {
        this.db = db;
        this.treatments = treatments;
        this.clients = clients;
        this.changes = changes;
    }

    public Listing<Treatment> services() {
        return db.read(h -> new Listing<>(changes.head(h), treatments.all(h)));
    }

    public Treatment createService(Caller p, Treatment t) {
        return createService(p, t, Idempotent.none());
    }

    /** A retry with the same idempotency key gets the first answer and creates nothing. */
    public Treatment createService(Caller p, Treatment t, Idempotent<Treatment> once) {
        BookingRefusal.requireOperator(p);
        return db.write(h -> once.inTransaction(h, () -> {
            db.lockTable(h, "services");
            requireUniqueName(h, t.name(), null);
            Treatment created = treatments.insert(h, t);
            record(h, p.id(), SERVICE_UPDATED, Audience.everyone(), created);
            return created;
        }));
    }

    public Treatment updateService(Caller p, long id, UnaryOperator<Treatment> edit) {
        BookingRefusal.requireOperator(p);
        return db.write(h -> {
            db.lockTable(h, "services");
            Treatment current = treatments.find(h, id).orElseThrow(() -> BookingRefusal.notFound("Service " + id));
            Treatment wanted = edit.apply(current);
            requireUniqueName(h, wanted.name(), id);
            Treatment updated = treatments.update(h, wanted);
            record(h, p.id(), SERVICE_UPDATED, Audience.everyone(), updated);
            return updated;
        });
    }

    private void requireUniqueName(Handle h, String name, Long self) {
        treatments.findByName(h, name).filter(t -> self == null || t.id() != self).ifPresent(t -> {
            throw new BookingRefusal(BookingRefusal.Reason.DUPLICATE, "There is already a service called '" + t.name() + "'.",
                    Map.of("name", "is already used"), Map.of("existingId", t.id()));
        });
    }

    public List<Client> clients(Caller p, String q) {
        BookingRefusal.requireOperator(p);
        return db.read(h -> clients.search(h, q == null || q.isBlank() ? null : q.strip(), CLIENT_SEARCH_LIMIT));
    }

    public Client client(Caller p, long id) {
        BookingRefusal.requireOperator(p);
        return db.read(h -> clients.find(h, id)).orElseThrow(() -> BookingRefusal.notFound("Client " + id));
    }

    public Client createClient(Caller p, Client c) {
        return createClient(p, c, Idempotent.none());
    }

    /** A retry with the same idempotency key gets the first answer and creates nothing. */
    public Client createClient(Caller p, Client c, Idempotent<Client> once) {
        BookingRefusal.requireOperator(p);
        return db.write(h -> once.inTransaction(h, () -> {
            db.lockTable(h, "clients");
            requireUniquePhone(h, c.phone(), null);
            Client created = clients.insert(h, c);
            record(h, p.id(), CLIENT_UPDATED, Audience.operators(), created);
            return created;
        }));
    }

    public Client updateClient(Caller p, long id, UnaryOperator<Client> edit) {
        BookingRefusal.requireOperator(p);
        return db.write(h -> {
            db.lockTable(h, "clients");
            Client current = clients.find(h, id).orElseThrow(() -> BookingRefusal.notFound("Client " + id));
            Client wanted = edit.apply(current);
            requireUniquePhone(h, wanted.phone(), id);
            Client updated = clients.update(h, wanted);
            record(h, p.id(), CLIENT_UPDATED, Audience.operators(), updated);
            return updated;
        });
    }

    private void requireUniquePhone(Handle h, String phone, Long self) {
        clients.findByPhone(h, phone).filter(c -> self == null || c.id() != self).ifPresent(c -> {
            throw new BookingRefusal(BookingRefusal.Reason.DUPLICATE_CLIENT, "A client with this phone number already exists (" + c.name() + ", id "
                    + c.id() + ").", Map.of("phone", "belongs to client " + c.id()), Map.of("existingId", c.id()));
        });
    }

    /** The one place the catalogue reaches the change log. Clients go to operators only. */
    private void record(Handle h, long actorId, String type, Audience audience, Object value) {
        changes.append(h, new NewChange(type, actorId, audience, List.of(), Json.tree(value), null));
    }
}
