import BatonRedis
import Testing

/// Key → slot as the Redis Cluster specification defines it ("Keys distribution model" and
/// "Hash tags"), with its published vectors.
@Suite struct HashSlotTests {
    @Test func crc16IsXmodemAsTheSpecificationSays() {
        // The specification's check value: CRC16 of "123456789" is 0x31C3.
        #expect(HashSlot(key: "123456789").value == 0x31C3 % HashSlot.count)
    }

    @Test(arguments: [("foo", 12182), ("bar", 5061), ("hello", 866), ("", 0)])
    func knownKeysLandInTheirSlots(key: String, slot: Int) {
        #expect(HashSlot(key: key).value == slot)
    }

    @Test func hashTagsFollowTheSpecificationsRules() {
        // Only the part between the first { and the next } is hashed, when it is not empty.
        #expect(HashSlot(key: "{user1000}.following") == HashSlot(key: "{user1000}.followers"))
        #expect(HashSlot(key: "{user1000}.following") == HashSlot(key: "user1000"))
        #expect(HashSlot(key: "foo{}{bar}") == HashSlot(key: "foo{}{bar}".utf8))
        #expect(HashSlot(key: "foo{}{bar}") != HashSlot(key: "bar"))          // empty first tag: the whole key
        #expect(HashSlot(key: "foo{{bar}}zap") == HashSlot(key: "{bar"))      // the tag is "{bar"
        #expect(HashSlot(key: "foo{bar}{zap}") == HashSlot(key: "bar"))       // only the first tag counts
        #expect(HashSlot(key: "foo{bar") == HashSlot(key: "foo{bar".utf8))    // no closing brace: the whole key
    }

    @Test func batonsKeysOfOneShardShareASlot() {
        let shard = "0a1b2c3d"
        let family = HashSlot(key: "bt:{\(shard)}:fam:AAAAAAAAAAAAAAAAAAAAAA")
        #expect(HashSlot(key: "bt:{\(shard)}:rv") == family)
        #expect(HashSlot(key: "bt:{\(shard)}:user:alice") == family)
    }

    @Test func slotNumbersOutsideTheRangeAreRefused() {
        #expect(HashSlot(-1) == nil && HashSlot(16_384) == nil && HashSlot(16_383)?.value == 16_383)
    }
}
