package dev.guardian.signer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Reading an encoded type written by hand (a policy's listed message): only what encodeType would write. */
class Eip712EncodedTypeTest {
    @Test
    void readsThePrimaryTypeOfWhatEncodeTypeWrites() {
        TypedData mail = Json.typedData(Eip712VectorsTest.SPEC_MAIL);

        assertThat(Eip712.primaryTypeOf(Eip712.encodeType(mail, "Mail"))).isEqualTo("Mail");
        assertThat(Eip712.primaryTypeOf("Login(string user,uint256 issuedAt)")).isEqualTo("Login");
        assertThat(Eip712.primaryTypeOf("Ping()")).isEqualTo("Ping");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            a space after a comma       | Login(string user, uint256 issuedAt)           | is not a member
            an alias                    | Login(uint issuedAt)                           | unknown type 'uint'
            a struct not given          | Mail(Person from)                              | unknown type 'Person'
            a struct not used           | Login(string user)Extra(uint256 a)             | expected 'Login(string user)'
            structs out of order        | Mail(Person from,Address at)Person(string n)Address(string s) | expected 'Mail(Person from,Address at)Address(string s)Person(string n)'
            a struct twice              | Mail(Person from)Person(string n)Person(string n) | Person is given twice
            no parenthesis              | Login                                          | is not a struct
            the domain type             | EIP712Domain(string name)                      | the domain's type
            trailing text               | Login(string user)x                            | is not a struct
            """)
    void refusesWhatEncodeTypeWouldNeverWrite(String what, String encoded, String message) {
        assertThatThrownBy(() -> Eip712.primaryTypeOf(encoded)).as(what).hasMessageContaining(message);
    }
}
