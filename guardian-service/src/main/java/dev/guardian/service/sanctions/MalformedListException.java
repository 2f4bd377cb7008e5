package dev.guardian.service.sanctions;

/** A list's content is not what its configured format says, or holds an entry that cannot be an address. */
class MalformedListException extends RuntimeException {
    public MalformedListException(String message) {
        super(message);
    }

    public MalformedListException(String message, Throwable cause) {
        super(message, cause);
    }
}
