package dev.guardian.service.sanctions;

import java.io.IOException;
import java.io.InputStream;

/** Reads the EVM addresses out of one list's content, streaming (the official XML is over 100 MB). */
interface ListParser {
    /**
     * @param source names the list in error messages
     * @throws MalformedListException when the content is not of this format or holds a broken address
     */
    ParsedList parse(InputStream content, String source) throws IOException;
}
