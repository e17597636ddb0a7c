<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_TW">
<context>
    <name>AccountDialog</name>
    <message>
        <source>Unexpected error: {error}</source>
        <translation>未預期的錯誤：{error}</translation>
    </message>
    <message>
        <source>The password must have at least 10 characters.</source>
        <translation>密碼至少需 10 個字元。</translation>
    </message>
    <message>
        <source>The password must mix letters with digits or symbols.</source>
        <translation>密碼須混合英文字母與數字或符號。</translation>
    </message>
    <message>
        <source>Please enter a username.</source>
        <translation>請輸入帳號。</translation>
    </message>
    <message>
        <source>This username is already taken.</source>
        <translation>此帳號已被使用。</translation>
    </message>
    <message>
        <source>An administrator already exists; please sign in.</source>
        <translation>系統管理員已存在，請直接登入。</translation>
    </message>
    <message>
        <source>Wrong username or password.</source>
        <translation>帳號或密碼錯誤。</translation>
    </message>
    <message>
        <source>Please wait…</source>
        <translation>請稍候…</translation>
    </message>
</context>
<context>
    <name>BootstrapDialog</name>
    <message>
        <source>Create the administrator</source>
        <translation>建立系統管理員</translation>
    </message>
    <message>
        <source>No administrator exists yet. Create the first administrator account; no default password is shipped.</source>
        <translation>系統尚無管理員。請建立第一個系統管理員帳號；本系統不提供預設密碼。</translation>
    </message>
    <message>
        <source>Username</source>
        <translation>帳號</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>密碼</translation>
    </message>
    <message>
        <source>Repeat password</source>
        <translation>再次輸入密碼</translation>
    </message>
    <message>
        <source>The passwords do not match.</source>
        <translation>兩次輸入的密碼不一致。</translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <source>Sign in</source>
        <translation>登入</translation>
    </message>
    <message>
        <source>Username</source>
        <translation>帳號</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>密碼</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Joint Management Center — Container Monitoring</source>
        <translation>聯合管理中心 — 貨櫃全程監控</translation>
    </message>
    <message>
        <source>Stations</source>
        <translation>站點</translation>
    </message>
    <message>
        <source>User: {name} ({role})</source>
        <translation>使用者：{name}（{role}）</translation>
    </message>
    <message>
        <source>Database: {db}</source>
        <translation>資料庫：{db}</translation>
    </message>
    <message>
        <source>Taipei time {time}</source>
        <translation>臺北時間 {time}</translation>
    </message>
</context>
<context>
    <name>Roles</name>
    <message>
        <source>Duty officer</source>
        <translation>值勤關員</translation>
    </message>
    <message>
        <source>Section chief</source>
        <translation>股長</translation>
    </message>
    <message>
        <source>Division chief</source>
        <translation>課長</translation>
    </message>
    <message>
        <source>Unit head</source>
        <translation>一級主管</translation>
    </message>
    <message>
        <source>Technician</source>
        <translation>技術人員</translation>
    </message>
    <message>
        <source>Administrator</source>
        <translation>系統管理員</translation>
    </message>
</context>
<context>
    <name>StationsPanel</name>
    <message>
        <source>Code</source>
        <translation>代碼</translation>
    </message>
    <message>
        <source>Station</source>
        <translation>站點名稱</translation>
    </message>
    <message>
        <source>English name</source>
        <translation>英文名稱</translation>
    </message>
    <message>
        <source>Customs house</source>
        <translation>關別</translation>
    </message>
    <message>
        <source>Keelung Customs</source>
        <translation>基隆關</translation>
    </message>
    <message>
        <source>Taipei Customs</source>
        <translation>臺北關</translation>
    </message>
    <message>
        <source>Taichung Customs</source>
        <translation>臺中關</translation>
    </message>
    <message>
        <source>Kaohsiung Customs</source>
        <translation>高雄關</translation>
    </message>
</context>
</TS>
