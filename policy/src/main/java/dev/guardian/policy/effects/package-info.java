/**
 * What a transaction would really do, as derived from simulating it on the chain: every token and
 * native-coin movement and every approval, wherever in the call tree it happened, plus every address
 * touched. Policy judges these effects, never the agent's own description of its request.
 */
package dev.guardian.policy.effects;
