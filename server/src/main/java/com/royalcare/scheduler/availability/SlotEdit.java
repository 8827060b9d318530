package com.royalcare.scheduler.availability;

/** How a PUT or PATCH turns the current slot into the wanted one; runs inside the update's transaction. */
@FunctionalInterface
public interface SlotEdit {

    SlotDraft applyTo(Slot current);
}
