package com.royalcare.scheduler.availability;

/** The editable part of a slot: what a create, PUT or merged PATCH asks for. */
public record SlotDraft(SlotTimes times, boolean available, String note) {
}
