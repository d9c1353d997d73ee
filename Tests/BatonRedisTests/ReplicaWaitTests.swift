import Testing
@testable import BatonRedis

/// The pure parts of `ReplicaWait`: the `WAIT` command it sends and how a primary's
/// `INFO replication` is read.
@Suite struct ReplicaWaitTests {
    @Test func theCommandNeverWaitsForEver() {
        #expect(ReplicaWait(replicas: 1, timeout: .milliseconds(250)).command == RedisCommand("WAIT", "1", "250"))
        // WAIT N 0 blocks without limit: a sub-millisecond timeout is sent as 1 ms.
        #expect(ReplicaWait(replicas: 2, timeout: .microseconds(10)).command == RedisCommand("WAIT", "2", "1"))
    }

    @Test func onlyOnlineReplicasCount() {
        let info = """
            # Replication\r
            role:master\r
            connected_slaves:3\r
            slave0:ip=127.0.0.1,port=40001,state=online,offset=5210,lag=0\r
            slave1:ip=127.0.0.1,port=40002,state=wait_bgsave,offset=0,lag=0\r
            slave2:ip=127.0.0.1,port=40003,state=online,offset=5210,lag=1\r
            master_failover_state:no-failover\r
            master_repl_offset:5210\r
            """
        #expect(ReplicaWait.onlineReplicas(inReplicationInfo: info) == 2)
        let alone = "# Replication\r\nrole:master\r\nconnected_slaves:0\r\nmaster_repl_offset:0\r\n"
        #expect(ReplicaWait.onlineReplicas(inReplicationInfo: alone) == 0)
        // A replica's own INFO has slave_* fields but lists no replicas.
        let replica = "# Replication\r\nrole:slave\r\nmaster_link_status:up\r\nslave_read_repl_offset:5210\r\nslave_repl_offset:5210\r\nconnected_slaves:0\r\n"
        #expect(ReplicaWait.onlineReplicas(inReplicationInfo: replica) == 0)
    }
}
