package org.parley.status.feed;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import jakarta.ws.rs.NameBinding;

/**
 * Marks a GET of one relationship's live projection that honours If-None-Match with Prefer: wait=N
 * (RFC 7240): see {@link LongPollFilter}. The method takes the relationship as path parameters a and b.
 */
@NameBinding
@Target({ ElementType.METHOD, ElementType.TYPE })
@Retention(RetentionPolicy.RUNTIME)
public @interface LongPoll {
}
