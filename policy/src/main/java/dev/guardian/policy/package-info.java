/**
 * The values every other module speaks in: addresses (EIP-55 checked, equal by bytes), chain ids,
 * agent and wallet ids, transaction hashes, assets and token amounts in smallest units. They cannot
 * be constructed invalid, so code that holds one need not check it again. JDK only, by rule of the build.
 */
package dev.guardian.policy;
