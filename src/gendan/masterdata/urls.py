from .views import ALL

app_name = "masterdata"
urlpatterns = [url for entity in ALL for url in entity.urls()]
