package dev.kindemcp.bridge.tools;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A row of {@code sample_note}; stays inside {@link NoteStore}. */
@Entity
@Table(name = "sample_note")
public class NoteEntity {

    @Id
    @Column(name = "id")
    String id;

    @Column(name = "org_code")
    String orgCode;

    @Column(name = "author")
    String author;

    @Column(name = "text")
    String text;

    @Column(name = "created_at")
    long createdAt;
}
