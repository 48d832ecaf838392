package dev.parley.server.conversation;

/** Roles in a conversation, in increasing power: each may do what the ones before it may. */
public enum Role {
    MEMBER("member", dev.parley.api.v1.Role.ROLE_MEMBER),
    ADMIN("admin", dev.parley.api.v1.Role.ROLE_ADMIN),
    OWNER("owner", dev.parley.api.v1.Role.ROLE_OWNER);

    final String column;
    final dev.parley.api.v1.Role proto;

    Role(String column, dev.parley.api.v1.Role proto) {
        this.column = column;
        this.proto = proto;
    }

    public boolean atLeast(Role other) {
        return compareTo(other) >= 0;
    }

    public dev.parley.api.v1.Role proto() {
        return proto;
    }

    static Role of(String column) {
        for (Role role : values()) {
            if (role.column.equals(column)) {
                return role;
            }
        }
        throw new IllegalArgumentException("unknown role " + column);
    }
}
