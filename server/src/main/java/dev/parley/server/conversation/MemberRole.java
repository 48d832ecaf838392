package dev.parley.server.conversation;

import dev.parley.api.v1.Role;

/** Roles in a conversation, in increasing power: each may do what the ones before it may. */
public enum MemberRole {
    MEMBER("member", Role.ROLE_MEMBER),
    ADMIN("admin", Role.ROLE_ADMIN),
    OWNER("owner", Role.ROLE_OWNER);

    final String column;
    final Role proto;

    MemberRole(String column, Role proto) {
        this.column = column;
        this.proto = proto;
    }

    public boolean atLeast(MemberRole other) {
        return compareTo(other) >= 0;
    }

    public Role proto() {
        return proto;
    }

    static MemberRole of(String column) {
        for (MemberRole role : values()) {
            if (role.column.equals(column)) {
                return role;
            }
        }
        throw new IllegalArgumentException("unknown role " + column);
    }
}
