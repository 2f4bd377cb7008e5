/**
 * Sanctions screening: the OFAC list of EVM addresses shipped with Guardian (with its provenance) and
 * the screen that checks every address a simulated transaction touches. A hit denies; it can never be
 * approved away.
 */
package dev.guardian.service.sanctions;
