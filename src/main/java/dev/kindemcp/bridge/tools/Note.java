package dev.kindemcp.bridge.tools;

import java.time.Instant;
import java.util.Objects;

/** A note of the sample tool API: owned by one Kinde organisation, written by one user. */
public record Note(String id, String orgCode, String author, String text, Instant createdAt) {

    public Note {
        Objects.requireNonNull(id, "id must not be null");
        Objects.requireNonNull(orgCode, "orgCode must not be null");
        Objects.requireNonNull(author, "author must not be null");
        Objects.requireNonNull(text, "text must not be null");
        Objects.requireNonNull(createdAt, "createdAt must not be null");
    }
}
