package dev.guardian.service.api;

import java.util.UUID;

/** A request id from a path: something that is not a UUID names no request, so it is a 404, not a 400. */
final class RequestIds {
    private RequestIds() {}

    static UUID parse(String id, String notFound) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw new ApiExceptions.NotFound(notFound);
        }
    }
}
